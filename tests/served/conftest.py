"""Served-mode tests use the session's Prefect server and worker from tests/served_stack.py."""
