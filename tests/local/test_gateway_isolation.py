"""Two functions' requests at once through the local gateway must not see each other's event.

Powertools keeps the event being resolved on a class shared by every resolver in the process
(`BaseRouter.current_event`). In the cloud each function is its own process handling one
request at a time; on the laptop all of them share one process, so a request of one function
served while another function's handler runs would swap the caller, its headers and its
Idempotency-Key under it. The load test found this as changes replayed with their key being
done twice while other members read their profile.
"""

from __future__ import annotations

import threading
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from werkzeug.test import Client

from local.gateway import Gateway
from shared.routes import Route

# Long enough for the other request to be answered if the gateway lets it run meanwhile.
OTHER_REQUEST_GRACE_SECONDS = 1.0


def two_functions() -> tuple[dict[str, Any], threading.Event, threading.Event]:
    """A slow function that reports the path it is resolving once the fast one could have run."""
    slow, fast = APIGatewayRestResolver(), APIGatewayRestResolver()
    slow_started, fast_answered = threading.Event(), threading.Event()

    @slow.get("/slow")
    def slow_route() -> dict[str, Any]:
        slow_started.set()
        fast_answered.wait(OTHER_REQUEST_GRACE_SECONDS)
        return {"resolving": slow.current_event.path}

    @fast.get("/fast")
    def fast_route() -> dict[str, Any]:
        return {"resolving": fast.current_event.path}

    handlers = {"slow": slow.resolve, "fast": fast.resolve}
    return handlers, slow_started, fast_answered


def test_a_handler_keeps_its_own_event_while_another_function_is_called() -> None:
    # Given two functions served by one gateway, in one process, as on the laptop
    handlers, slow_started, fast_answered = two_functions()
    routes = [
        Route("GET", "/slow", "slow", public=True),
        Route("GET", "/fast", "fast", public=True),
    ]
    gateway = Gateway(None, load_handler=handlers.__getitem__, routes=routes)  # type: ignore[arg-type]
    answers: dict[str, Any] = {}

    def call(path: str) -> None:
        answers[path] = Client(gateway).get(path).get_json()

    # When the fast function is called while the slow one is resolving its request
    slow = threading.Thread(target=call, args=("/slow",))
    slow.start()
    assert slow_started.wait(10)
    call("/fast")
    fast_answered.set()
    slow.join()

    # Then each handler answered from its own request
    assert answers == {"/slow": {"resolving": "/slow"}, "/fast": {"resolving": "/fast"}}
