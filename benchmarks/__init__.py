"""The performance and quality harness behind `make bench` (not shipped with Hearth).

Run from the repository root: `python -m benchmarks [--quick] [--only NAME]`.
"""
