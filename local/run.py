"""The whole portal on this machine: moto server, the local Cognito layer and the HTTP gateway.

    python -m local.run [--port N] [--reset] [--state FILE]

Nothing reaches AWS: every boto3 client is pointed at a moto server on loopback, with fake
credentials. Stop with Ctrl-C.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from local import cognito, state, web_static
from local.gateway import Authorizer, Gateway, Page, import_handler
from local.openapi import merged_document, swagger_page
from local.outbox_page import outbox_response
from local.seed import (
    BOARD_EMAIL,
    CENTRE_ID,
    EXAMS_OFFICER_EMAIL,
    Resources,
    create_resources,
    seed_demo,
)
from shared.routes import FUNCTIONS
from shared.settings import DEFAULT_REGION

logger = logging.getLogger("local.run")

HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _swagger_assets() -> Path:
    from aws_lambda_powertools.event_handler.openapi import swagger_ui  # noqa: PLC0415

    return Path(swagger_ui.__file__).parent


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's request handler without its own access log: the gateway logs each request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The gateway writes the one line per request."""


def powertools_defaults() -> None:
    """Handlers log warnings only and publish no metrics, unless the environment says otherwise."""
    for name, value in {
        "POWERTOOLS_SERVICE_NAME": "centre-portal-local",
        "POWERTOOLS_METRICS_NAMESPACE": "CentrePortalLocal",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }.items():
        os.environ.setdefault(name, value)


def _fake_aws_environment(endpoint: str) -> dict[str, str]:
    """Every boto3 client in this process talks to moto, never to an AWS account."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "local",
        "AWS_DEFAULT_REGION": DEFAULT_REGION,
        "AWS_REGION": DEFAULT_REGION,
    }


@dataclass
class LocalPortal:
    """Starts and stops the parts in order; `url` is where the API answers."""

    port: int = DEFAULT_PORT
    state_file: Path | None = None
    reset: bool = False
    url: str = ""
    seeded: bool = False
    resources: Resources | None = None
    _moto: Any = None
    _server: BaseWSGIServer | None = None
    _thread: threading.Thread | None = None
    _saved_env: dict[str, str | None] = field(default_factory=dict)

    def start(self) -> None:
        """Moto server, the layer, the resources (or the saved state), then the gateway."""
        from moto.server import ThreadedMotoServer  # noqa: PLC0415 - heavy; only when run

        self._moto = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
        self._moto.start()
        moto_host, moto_port = self._moto.get_host_and_port()
        cognito.install()

        # Bind first so that port 0 (any free port) is known before the sign-in URL is set.
        self._server = make_server(
            HOST, self.port, _starting, threaded=True, request_handler=QuietHandler
        )
        self.port = self._server.server_port
        self.url = f"http://{HOST}:{self.port}"
        self._set_environment(_fake_aws_environment(f"http://{moto_host}:{moto_port}"))
        self._set_environment({"PORTAL_NAME": "Centre Portal", "SIGN_IN_URL": f"{self.url}/docs"})
        powertools_defaults()
        _reset_process_caches()

        self.resources = self._restore_or_create()
        self._set_environment(self.resources.environment())
        _reset_process_caches()
        if self.seeded:
            seed_demo(self.resources)

        self._server.app = self._gateway(self.resources)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _restore_or_create(self) -> Resources:
        import boto3  # noqa: PLC0415

        if self.state_file and self.reset:
            self.state_file.unlink(missing_ok=True)
        if self.state_file and self.state_file.exists():
            return state.load(self.state_file)
        self.seeded = True
        return create_resources(boto3.session.Session())

    def _gateway(self, resources: Resources) -> web_static.WsgiApp:
        jwks_url = (
            f"{os.environ['AWS_ENDPOINT_URL']}/{resources.user_pool_id}/.well-known/jwks.json"
        )
        issuer = f"https://cognito-idp.{DEFAULT_REGION}.amazonaws.com/{resources.user_pool_id}"
        authorizer = Authorizer.for_pool(jwks_url, issuer, [resources.user_pool_client_id])
        # The built front end (web/dist) is served at / beside the API, as the CDN does.
        # Board staff upload from the page straight to moto's S3 through presigned URLs.
        return web_static.with_site(
            Gateway(authorizer, pages=self._pages()), files_origin=os.environ["AWS_ENDPOINT_URL"]
        )

    def _pages(self) -> dict[str, Page]:
        document = merged_document(self.url)
        assets = _swagger_assets()

        def openapi(request: Request) -> Response:
            return Response(_json(document), mimetype="application/json")

        def docs(request: Request) -> Response:
            if request.args.get("format") == "json":
                return openapi(request)
            return Response(swagger_page(document), mimetype="text/html")

        def asset(name: str, mimetype: str) -> Page:
            content = (assets / name).read_bytes()
            return lambda request: Response(content, mimetype=mimetype)

        def outbox(request: Request) -> Response:
            return outbox_response(cognito.outbox, request)

        def home(request: Request) -> Response:
            return Response(status=302, headers={"Location": "/docs"})

        return {
            "/": home,
            "/docs": docs,
            "/openapi.json": openapi,
            "/_local/outbox": outbox,
            "/_local/swagger/swagger-ui-bundle.min.js": asset(
                "swagger-ui-bundle.min.js", "text/javascript"
            ),
            "/_local/swagger/swagger-ui.min.css": asset("swagger-ui.min.css", "text/css"),
        }

    def _set_environment(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self._saved_env.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def stop(self) -> None:
        """Stop serving, save the state if asked, stop moto and take the layer off."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        if self.state_file is not None and self.resources is not None:
            state.save(self.state_file, self.resources)
        if self._moto is not None:
            self._moto.stop()
        if cognito.installed():
            cognito.uninstall()
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _reset_process_caches()

    def banner(self) -> str:
        """The few lines a newcomer needs: where to go and who to sign in as."""
        if self.state_file is None:
            kept = "in memory only (use --state FILE to keep it between runs)"
        else:
            kept = f"saved to {self.state_file} on Ctrl-C"
        return "\n".join(
            [
                f"Centre Portal is running at {self.url}  (moto on loopback, no AWS account)",
                f"  API explorer  {self.url}/docs      OpenAPI  {self.url}/openapi.json",
                f"  Outbox        {self.url}/_local/outbox   (every email and SMS sent)",
                f"  AWS (moto)    {os.environ.get('AWS_ENDPOINT_URL', '')}   (any credentials; "
                "to inspect the tables and the pool)",
                f"  Board staff   {BOARD_EMAIL}",
                f"  Exams officer {EXAMS_OFFICER_EMAIL}  (centre {CENTRE_ID})",
                "  Their temporary passwords are in the invite emails in the outbox.",
                f"  State: {kept}. Ctrl-C stops.",
            ]
        )


def _starting(environ: dict[str, Any], start_response: Any) -> Any:
    """What the socket answers in the moment between binding and the gateway being ready."""
    return Response("starting", status=503)(environ, start_response)


def _json(document: dict[str, Any]) -> str:
    import json  # noqa: PLC0415

    return json.dumps(document)


def _reset_process_caches() -> None:
    """Forget clients and config the handlers cached before the environment was complete."""
    from shared.adapters import aws  # noqa: PLC0415

    aws.reset()
    try:
        from shared.web import idempotency, runtime  # noqa: PLC0415
    except ImportError:
        return
    runtime.reset()
    idempotency.reset()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m local.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORTAL_PORT", DEFAULT_PORT)),
        help="port on 127.0.0.1 (default PORTAL_PORT or 8000; 0 picks a free one)",
    )
    parser.add_argument("--state", type=Path, help="keep the portal's state in this file")
    parser.add_argument("--reset", action="store_true", help="start empty and seed the demo")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    # boto3, moto and werkzeug log every internal call at INFO; the gateway's line is the one
    # to read, so only this package logs below WARNING.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", stream=sys.stdout)
    logging.getLogger("local").setLevel(logging.INFO)
    # Load every function as Lambda would before the first request, so an import error shows
    # at start; some modules set botocore's level on import, hence quieting only after this.
    powertools_defaults()
    # Metrics are off here, and Powertools warns on every request that none were published.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    for function in FUNCTIONS:
        import_handler(function)
    for noisy in ("boto3", "botocore", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    portal = LocalPortal(port=args.port, state_file=args.state, reset=args.reset)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        portal.start()
    except (OSError, SystemExit):
        # Werkzeug explains a busy port itself, then exits; stop moto and the layer first.
        portal.stop()
        print(f"cannot serve on {HOST}:{args.port}; try --port N or PORTAL_PORT", flush=True)
        return 1
    print(portal.banner(), flush=True)
    try:
        while not stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping the portal", flush=True)
        portal.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
