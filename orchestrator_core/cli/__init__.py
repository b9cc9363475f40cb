"""The `orchestrator` command; `orchestrator_core.cli.main.app` is the Typer app, as in the reference."""
