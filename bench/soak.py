"""`make soak`: the load with correctness at full size against a fresh local run.

python -m bench.soak [--clients 20] [--seconds 30] [--centres 4]

Starts `python -m local.run` on a free port, runs bench.load against it, prints the figures and
writes them to bench/SOAK.md. Exits 1 if any answer was unexpected or any check failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.load import LoadReport, run_load
from tests.support.local_run import LocalRun

SOAK = Path(__file__).with_name("SOAK.md")


def moto_url(lines: list[str]) -> str | None:
    """The moto endpoint the local run prints in its banner, if it prints one."""
    for line in lines:
        found = re.search(r"AWS \(moto\)\s+(http://\S+)", line)
        if found:
            return found.group(1)
    return None


def document(report: LoadReport, arguments: argparse.Namespace) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "# Soak: load with correctness against the local run\n\n"
        f"Written by `make soak` (`python -m bench.soak --clients {arguments.clients} "
        f"--seconds {arguments.seconds:g} --centres {arguments.centres}`) on {when}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores.\n\n"
        "The local run serves one request at a time across all its Lambda handlers, over "
        "moto, so its throughput and latency say nothing about the cloud's; what this "
        "measures is that no change is lost or doubled under concurrent clients. Each client "
        "is one signed-in member; exams officers and admins mix reads, invites (admins beyond "
        "the cap of 3 among them), permission changes, resends, deletions and a change sent "
        "again with its Idempotency-Key, after its answer or twice at once; users read. "
        "Expected refusals (409 admin_limit_reached, 404 for a member another client deleted "
        "first, 409 conflict from a version check, 409 request_in_progress for the second of "
        "two sends at once) are counted but are not errors.\n\n"
        f"{report.markdown()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--centres", type=int, default=4)
    parser.add_argument("--output", type=Path, default=SOAK)
    arguments = parser.parse_args(argv)
    print(
        f"soak: {arguments.clients} clients for {arguments.seconds:g} s in "
        f"{arguments.centres} centres, against a fresh local run",
        flush=True,
    )
    with LocalRun() as run:
        report = run_load(
            run.url,
            clients=arguments.clients,
            seconds=arguments.seconds,
            centres=arguments.centres,
            moto_url=moto_url(run.lines),
        )
    text = document(report, arguments)
    arguments.output.write_text(text)
    print(text, flush=True)
    print(f"soak: {report.summary()}; written to {arguments.output}", flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
