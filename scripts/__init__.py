"""Maintenance scripts and benchmarks; a package so that ``python -m scripts.bench`` runs the dashboard benchmark."""
