"""The benchmarks still run: each once, at tiny size. Figures are never asserted on timing."""

from __future__ import annotations

from pathlib import Path

from bench.run import main


def test_the_benchmarks_write_every_section(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"

    assert main(["--quick", "--output", str(output)]) == 0

    text = output.read_text()
    for heading in (
        "## Cold start",
        "## AWS requests and warm latency per route",
        "## Growth",
        "## Results-day arithmetic",
    ):
        assert heading in text
    # Every function has a cold-start row and every measured route a calls row
    for function in ("auth", "account", "members", "board", "services", "custom_message"):
        assert f"| {function} |" in text
    assert "| POST /centres/{id}/users | 4 | 1 |" in text
