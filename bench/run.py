"""`make bench`: measure the portal side by side with its floors and write bench/RESULTS.md.

python -m bench.run            full size (a few minutes on a 2-core machine)
python -m bench.run --quick    tiny size, to prove the benchmarks still work (make test)
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from importlib.metadata import version
from pathlib import Path

from bench import bundle, cold_start, growth, routes

RESULTS = Path(__file__).with_name("RESULTS.md")
COLD_START_TARGET = 1.5
BUNDLE_TARGET_MB = 5.0

ARITHMETIC = """## Results-day arithmetic

Cognito requests per sign-in through the portal (`/auth/*` calls Cognito's user-password flow):

| sign-in | InitiateAuth (UserAuthentication) | RespondToAuthChallenge | other |
|---|---|---|---|
| returning member, TOTP | 1 | 1 | 0 |
| returning member, SMS or email code | 1 | 1 | 0 (the code is sent by Cognito) |
| first sign-in (invite), TOTP | 1 | 2 (new password, MFA set-up) | Associate+VerifyToken 2 |
| token refresh | 1 (REFRESH_TOKEN_AUTH) | 0 | 0 |

Account quotas (requests per second, per account and region): UserAuthentication 120,
RespondToAuthChallenge 3x that (360), UserCreation 50, UserList 30 (not adjustable),
UserUpdate 25 (not adjustable).

- Sustained sign-ins: each returning sign-in spends 1 of the 120 UserAuthentication requests
  per second and 1 of the 360 RespondToAuthChallenge, so **120 sign-ins per second** before a
  quota increase (UserAuthentication binds first). A refresh also spends UserAuthentication.
- Results day: if 5,000 centres have 4 members each signing in within the first 5 minutes after
  08:00, that is 20,000 sign-ins in 300 s, about 67 per second on average; a front-loaded
  minute (a third of them) is about 110 per second: at the quota. Raise UserAuthentication to
  at least 300 per second (Service Quotas, Amazon Cognito user pools) a few weeks before each
  results day, and keep refresh tokens at a working day so members do not sign in twice.
- Reads never call Cognito: member lists come from DynamoDB, so the 30-per-second UserList
  quota is never on the path. Invites spend UserCreation (50 per second): a board importing
  exams officers for thousands of centres should pace at under 50 per second.
- DynamoDB on demand and Lambda scale past these numbers; API Gateway's stage throttle
  (200 requests per second, burst 400) should be raised with the Cognito quota.
"""


def _machine() -> str:
    packages = ["boto3", "moto", "aws-lambda-powertools", "pydantic"]
    versions = ", ".join(f"{name} {version(name)}" for name in packages)
    return (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"{versions}. Shared, noisy machine: read ratios, not absolute times."
    )


def _cold_start_section(runs: int) -> str:
    floor_ms, results = cold_start.measure(runs)
    lines = [
        "## Cold start",
        "",
        f"Median wall time of a fresh process over {runs} runs, interleaved with the floor "
        f"(import boto3 and create a DynamoDB client: {floor_ms:.0f} ms). "
        f"Target: at most {COLD_START_TARGET}x the floor.",
        "",
        "| function | median ms | ratio to floor | target met | largest imports (ms) |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        top = ", ".join(f"{m} {ms:.0f}" for m, ms in r.top)
        met = "yes" if r.ratio <= COLD_START_TARGET else "no"
        lines.append(f"| {r.name} | {r.median_ms:.0f} | {r.ratio:.2f} | {met} | {top} |")
    return "\n".join(lines)


def _bundle_section() -> str:
    try:
        size = bundle.measure()
    except Exception as error:  # reported in the results, not hidden
        return f"## Bundle size\n\nNot measured: {type(error).__name__}: {error}"
    largest = ", ".join(f"{name} {mb:.1f} MB" for name, mb in size.largest)
    return (
        "## Bundle size\n\n"
        "One asset serves every function (same code, different handlers), built as the CDK "
        "bundler builds it (pip, manylinux2014_aarch64, CPython 3.12).\n\n"
        "| zipped MB | unzipped MB | target | largest entries |\n|---|---|---|---|\n"
        f"| {size.zipped_mb:.1f} | {size.unzipped_mb:.1f} | under {BUNDLE_TARGET_MB} MB: "
        f"{'met' if size.zipped_mb < BUNDLE_TARGET_MB else 'not met'} | {largest} |"
    )


def _routes_section(runs: int) -> str:
    floor_ms, measured = routes.measure(runs)
    lines = [
        "## AWS requests and warm latency per route",
        "",
        f"In-process against moto; latency over {runs} calls as a ratio to one DynamoDB "
        f"GetItem against the same moto in the same run (median {floor_ms:.2f} ms). "
        "Targets: reads make 0 Cognito calls and at most 2 DynamoDB requests; an invite makes "
        "exactly one Cognito call.",
        "",
        "| route | DynamoDB | Cognito | S3 | SES | median x GetItem | p95 x GetItem |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in measured:
        c = m.calls
        lines.append(
            f"| {m.name} | {c['dynamodb']} | {c['cognito-idp']} | {c['s3']} | {c['ses']} | "
            f"{m.median_ms / floor_ms:.1f} | {m.p95_ms / floor_ms:.1f} |"
        )
    return "\n".join(lines)


def _growth_section(members: int, events: int) -> str:
    g = growth.measure(members, events)
    members_ratio = g.members_deep_ms / g.members_first_ms
    audit_ratio = g.audit_deep_ms / g.audit_first_ms
    return (
        "## Growth\n\n"
        f"A centre with {g.members:,} members and {g.events:,} audit events; pages of 50. "
        "The deep page starts at the 99th percentile of the listing.\n\n"
        "| listing | first page ms | deep page ms | deep / first | DynamoDB requests per page |\n"
        "|---|---|---|---|---|\n"
        f"| members | {g.members_first_ms:.1f} | {g.members_deep_ms:.1f} | "
        f"{members_ratio:.2f} | {g.requests_per_page} |\n"
        f"| audit | {g.audit_first_ms:.1f} | {g.audit_deep_ms:.1f} | "
        f"{audit_ratio:.2f} | {g.requests_per_page} |\n\n"
        + (growth.__doc__ or "").split("\n\n", 1)[1].strip()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the portal and write RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check it works")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--skip-bundle", action="store_true", help="no pip download")
    args = parser.parse_args(argv)
    runs, calls, members, events = (2, 5, 200, 1_000) if args.quick else (10, 200, 10_000, 100_000)

    started = time.perf_counter()
    sections = [
        "# Benchmark results",
        "",
        _machine(),
        _cold_start_section(runs),
        _bundle_section() if not (args.quick or args.skip_bundle) else "## Bundle size\n\nSkipped.",
        _routes_section(calls),
        _growth_section(members, events),
        ARITHMETIC,
        f"Total benchmark time: {time.perf_counter() - started:.0f} s.",
    ]
    args.output.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
