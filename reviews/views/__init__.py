"""Views turn requests into service calls and outcomes into pages and messages."""
