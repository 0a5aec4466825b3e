"""A static-site generator for sourced, dated events: validated YAML in, a timeline site out."""

__version__ = "0.1.0"
