"""The built web front end (web/dist) served beside the API, as the CDN serves it in the cloud.

`with_site(gateway)` wraps the gateway's WSGI application: GET and HEAD of a file in web/dist
answer that file; `/` and any other browser navigation (a GET that accepts text/html) to a path
that is neither an API route nor one of the laptop's own pages answer index.html, so the
front end's screens can be reloaded and bookmarked. Everything else reaches the gateway
unchanged. Without a build (no web/dist/index.html) the gateway is returned as it is.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from local.gateway import RouteNotFound, match_route
from shared.routes import ROUTES
from shared.settings import site_content_security_policy

DIST = Path(__file__).resolve().parents[1] / "web" / "dist"
_METHODS = sorted({route.method for route in ROUTES})


def _html_headers(files_origin: str | None) -> dict[str, str]:
    """The page's headers: it calls its own origin (the API here) and the files store."""
    return {
        "Content-Security-Policy": site_content_security_policy(
            *([files_origin] if files_origin else [])
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def is_api_path(path: str) -> bool:
    """True when some route of the table answers this path, whatever the method."""
    for method in _METHODS:
        try:
            match_route(method, path)
        except RouteNotFound:
            continue
        return True
    return False


def _file(dist: Path, path: str) -> Path | None:
    """The file under dist that this URL path names; None for anything outside it."""
    relative = path.lstrip("/")
    if not relative:
        return None
    candidate = (dist / relative).resolve()
    if dist.resolve() not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def with_site(app: WsgiApp, dist: Path = DIST, files_origin: str | None = None) -> WsgiApp:
    """The gateway with the built site in front of it (see the module docstring).

    `files_origin`, the S3 endpoint (moto here), joins the page's connect-src: board staff
    upload from the page straight to presigned URLs there.
    """
    index = dist / "index.html"
    if not index.is_file():
        return app
    pages: Mapping[str, Any] = getattr(app, "pages", {})
    headers = _html_headers(files_origin)

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        if request.method in {"GET", "HEAD"}:
            response = _answer(request, dist, index, pages, headers)
            if response is not None:
                return response(environ, start_response)
        return app(environ, start_response)

    return serve


def _answer(
    request: Request, dist: Path, index: Path, pages: Mapping[str, Any], headers: dict[str, str]
) -> Response | None:
    path = request.path
    found = _file(dist, path)
    if found is not None and found != index:
        mimetype = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        response = Response(found.read_bytes(), mimetype=mimetype)
        # Vite puts a content hash in every asset name, so they may be cached for good.
        immutable = path.startswith("/assets/")
        response.headers["Cache-Control"] = (
            "public, max-age=31536000, immutable" if immutable else "no-cache"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    navigation = "text/html" in request.headers.get("Accept", "")
    if path == "/" or (navigation and path not in pages and not is_api_path(path)):
        return Response(index.read_bytes(), mimetype="text/html", headers=headers)
    return None
