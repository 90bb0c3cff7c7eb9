"""The benchmark harness for issue #10: `python -m benchmarks` (see benchmarks/__main__.py)."""
