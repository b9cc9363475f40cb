"""The Node Enrollment demo application's command, as an orchestrator-core application's main.py is.

The application imports its own products and workflows, then hands over to the library's command:

    python main.py demo             the guide's Node Enrollment end to end (SQLite file in the working directory)
    python main.py db upgrade       the core schema and this application's registrations (migrations/)
    python main.py run WORKFLOW     and every other `orchestrator` command, with these workflows loaded
"""

import flows  # noqa: F401  (registers the workflows; flows imports products, which registers the models)
from flows.demo import run_demo
from orchestrator_core.cli.main import app

app.command("demo", help="The guide's Node Enrollment end to end, on the embedded default.")(run_demo)

if __name__ == "__main__":
    app()
