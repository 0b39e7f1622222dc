"""Benchmarks of the handbook generator: synthetic handbooks and the timing script."""
