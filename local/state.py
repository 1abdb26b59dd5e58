"""--state FILE: the portal's moto backends, the layer's per-user state and the outbox, pickled.

moto keeps everything in memory, so state survives a restart only by saving those objects
when the portal stops and loading them before it serves again. One pickle holds them all, so
the layer's per-user records still point at the same moto users after loading. Sign-in
sessions are not kept: Cognito ends them after 3 minutes anyway.
"""

from __future__ import annotations

import io
import pickle
from dataclasses import asdict
from pathlib import Path
from typing import Any

from joserfc import jwk

from local.cognito import outbox
from local.cognito import state as layer_state
from local.seed import Resources

SERVICES = ("cognito-idp", "dynamodb", "s3", "ses")
VERSION = 1


def _backends() -> dict[str, Any]:
    from moto.backends import get_backend  # noqa: PLC0415

    return {service: get_backend(service) for service in SERVICES}  # type: ignore[call-overload]


def _import_key(data: dict[str, Any]) -> jwk.RSAKey:
    return jwk.RSAKey.import_key(data)


class _Pickler(pickle.Pickler):
    """Pickles moto's pool signing key as its JWK, since the key object itself cannot be."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, jwk.RSAKey):
            return _import_key, (obj.as_dict(private=True),)
        return NotImplemented


def save(path: Path, resources: Resources) -> None:
    """Write the portal's state; the file is replaced whole so a crash leaves the old one."""
    snapshot = {
        "version": VERSION,
        "resources": asdict(resources),
        "backends": {name: dict(backend) for name, backend in _backends().items()},
        # The layer's records live in weak maps keyed by moto's objects; pickled as plain maps.
        "users": dict(layer_state._users),
        "pools": dict(layer_state._pools),
        "messages": list(reversed(outbox.messages())),
    }
    temporary = path.with_name(path.name + ".tmp")
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(snapshot)
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(path)


def load(path: Path) -> Resources:
    """Put a saved state back into moto, the layer and the outbox; the file is trusted input."""
    # pickle runs code from the file: only ever load a file this program wrote on this machine.
    snapshot = pickle.loads(path.read_bytes())  # noqa: S301
    if snapshot.get("version") != VERSION:
        raise ValueError(f"{path} was written by another version of the local run; use --reset")
    for name, backend in _backends().items():
        backend.clear()
        backend.update(snapshot["backends"][name])
    layer_state._users.update(snapshot["users"])
    layer_state._pools.update(snapshot["pools"])
    outbox.clear()
    for message in snapshot["messages"]:
        outbox.record(message)
    return Resources(**snapshot["resources"])
