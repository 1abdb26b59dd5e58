"""Benchmarks: `make bench` measures and writes bench/RESULTS.md. Never imported by the product."""
