"""Cold start of each Lambda function as a ratio to a floor measured in the same run.

Each sample is a fresh Python process that imports the handler module and creates the DynamoDB
client every authenticated route needs (the portal's clients are otherwise created lazily).
The floor is a process that imports boto3 and creates one DynamoDB client.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ("auth", "account", "members", "board", "services", "custom_message")
ENV = {
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "TABLE_NAME": "portal",
    "IDEMPOTENCY_TABLE_NAME": "idempotency",
    "POWERTOOLS_METRICS_NAMESPACE": "Bench",
    "POWERTOOLS_SERVICE_NAME": "bench",
}
FLOOR = "import boto3; boto3.client('dynamodb')"
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def program(function: str) -> str:
    return (
        f"import functions.{function}.handler\n"
        "from shared.adapters.aws import client\n"
        "client('dynamodb')\n"
    )


@dataclass
class Sample:
    wall_ms: float
    top_imports: dict[str, float]


def sample(code: str) -> Sample:
    """One fresh process: wall time from the parent, cumulative import time per top module."""
    import time

    env = os.environ | ENV | {"PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall_ms = (time.perf_counter() - started) * 1000
    top: dict[str, float] = {}
    for line in done.stderr.splitlines():
        found = _IMPORT_LINE.match(line)
        if found and len(found.group(3)) == 1:  # a top-level import of this program
            top[found.group(4)] = top.get(found.group(4), 0) + int(found.group(2)) / 1000
    return Sample(wall_ms, top)


@dataclass
class Result:
    name: str
    median_ms: float
    ratio: float
    top: list[tuple[str, float]]


def measure(runs: int = 10) -> tuple[float, list[Result]]:
    """Interleave floor and function samples so machine noise falls on both alike."""
    floor: list[float] = []
    samples: dict[str, list[Sample]] = {name: [] for name in FUNCTIONS}
    for _ in range(runs):
        floor.append(sample(FLOOR).wall_ms)
        for name in FUNCTIONS:
            samples[name].append(sample(program(name)))
    floor_ms = statistics.median(floor)
    results = []
    for name, runs_of in samples.items():
        median = statistics.median(s.wall_ms for s in runs_of)
        imports: dict[str, list[float]] = {}
        for each in runs_of:
            for module, ms in each.top_imports.items():
                imports.setdefault(module, []).append(ms)
        top = sorted(((m, statistics.median(v)) for m, v in imports.items()), key=lambda x: -x[1])
        results.append(Result(name, median, median / floor_ms, top[:3]))
    return floor_ms, results
