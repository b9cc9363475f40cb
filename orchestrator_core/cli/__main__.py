from orchestrator_core.cli.main import app

app()
