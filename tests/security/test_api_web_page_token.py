"""With auth on, the operator's page loads without a token, asks for one, keeps it in this tab's
sessionStorage (not localStorage, not the URL) and sends it on every call, the live event stream
included. Headless Chromium; skipped when it is not installed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, transaction
from tests.api import api_workflows
from tests.api.conftest import register
from tests.security.browser import CHROMIUM, browser_page
from tests.security.conftest import hs256_token

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def running_process() -> str:
    """A process that stays running (as one whose step takes long) until the test moves it on."""
    register(*api_workflows.ALL)
    with transaction() as session:
        workflow_id = session.execute(
            sa.select(WorkflowTable.workflow_id).where(WorkflowTable.name == "api_flaky")
        ).scalar_one()
        row = ProcessTable(workflow_id=workflow_id, last_status="running", created_by="operator", is_task=False)
        session.add(row)
        session.flush()
        return str(row.process_id)


def set_status(process_id: str, status: str) -> None:
    with transaction() as session:
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id == process_id).values(last_status=status))


@pytest.mark.usefixtures("auth_on")
def test_the_page_asks_for_a_token_keeps_it_per_tab_and_follows_a_process_with_it(api_url):
    token = hs256_token("operator")
    process_id = running_process()
    try:
        with browser_page() as page:
            page.goto(f"{api_url}/#/")
            page.wait_for("document.querySelector('#token-prompt') !== null")
            assert page.evaluate("document.querySelector('#results')") is None  # nothing shown without a token

            page.evaluate(f"document.querySelector('#token-prompt-input').value = {token!r}")
            page.evaluate("document.querySelector('#token-prompt button').click()")
            page.wait_for("document.querySelector('#result-count') !== null")
            assert page.evaluate("sessionStorage.getItem('orchestratorToken')") == token
            assert page.evaluate("localStorage.getItem('orchestratorToken')") is None
            assert token not in page.evaluate("location.href")

            page.goto(f"{api_url}/#/processes/{process_id}")  # the same tab: the token is still there
            page.wait_for("document.querySelector('#process-status')?.textContent === 'running'")
            set_status(process_id, "completed")
            # the page learns of it through the event stream (a fetch with the token), not by a reload
            page.wait_for("document.querySelector('#process-status')?.textContent === 'completed'")
    finally:
        with transaction() as session:
            session.execute(sa.delete(ProcessTable).where(ProcessTable.process_id == process_id))
