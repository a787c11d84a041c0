"""Benchmark tasks, scorers and the performance harness."""
