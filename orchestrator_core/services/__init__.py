"""Use cases: start, resume and abort processes; the guard; the workflow registry."""
