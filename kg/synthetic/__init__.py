"""Benchmark support: a deterministic generator of synthetic source documents."""
