"""Segments: customer segmentation as an open dbt project, with a small CLI."""

__version__ = "0.1.0"
