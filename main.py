"""The Node Enrollment demo application's command, as an orchestrator-core application's main.py is.

The application imports its own products and workflows, then hands over to the library's command:

    python main.py demo             the guide's Node Enrollment end to end (SQLite file in the working directory)
    python main.py db upgrade       the core schema and this application's registrations (migrations/)
    python main.py fakes nso down   make the in-process NSO (or ESDB) fake fail in every process, until `up`
    python main.py run WORKFLOW     and every other `orchestrator` command, with these workflows loaded
"""

from orchestrator_core.cli import loading

loading.show()  # at a terminal: a line from the first moment, while the imports below take their seconds

import flows  # noqa: E402, F401  (registers the workflows; flows imports products, which registers the models)
from flows.demo import run_demo  # noqa: E402
from flows.node_enrollment.clients.control import fakes_app  # noqa: E402
from orchestrator_core.cli.main import app  # noqa: E402

app.command("demo", help="The guide's Node Enrollment end to end, on the embedded default.")(run_demo)
app.add_typer(fakes_app, name="fakes")

if __name__ == "__main__":
    app()
