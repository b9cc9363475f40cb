"""The operator's page in headless Chromium (Debian's package): search with lifecycles, one
subscription with its workflows (disabled with the guard's reason) and process history linking
into the Prefect UI. Skipped when chromium is not installed."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from html.parser import HTMLParser

import pytest

from orchestrator_core.settings import app_settings
from tests.api import api_workflows
from tests.api.conftest import register, wait_for
from tests.api.subscription_data import add_subscription, link_workflows, product_id

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
TAG = uuid.uuid4().hex[:8]


def dump_dom(url: str) -> str:
    """The DOM after the page's scripts ran (virtual time lets its fetches finish)."""
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=8000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


class Elements(HTMLParser):
    """Every start tag with its attributes and the text directly inside it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None], list[str]]] = []
        self._stack: list[list[str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        entry = (tag, dict(attrs), [])
        self.found.append(entry)
        self._stack.append(entry[2])

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack and data.strip():
            self._stack[-1].append(data.strip())

    def select(self, tag: str, **attrs: str) -> list[tuple[dict[str, str | None], str]]:
        return [
            (a, " ".join(text))
            for t, a, text in self.found
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


@pytest.fixture(scope="module")
def page_data(orchestrator_database):
    register(*api_workflows.ALL, *api_workflows.SUBSCRIPTION_WORKFLOWS)
    pid = product_id()
    link_workflows(pid, *api_workflows.SUBSCRIPTION_WORKFLOWS)
    return {
        "active": add_subscription(pid, f"Page circuit Leiden {TAG}", f"page-{TAG}"),
        "terminated": add_subscription(
            pid, f"Page circuit Delft {TAG}", f"page-{TAG}", status="terminated", days_ago=5
        ),
    }


def test_search_lists_subscriptions_with_their_lifecycle(api_url, page_data):
    dom = Elements(dump_dom(f"{api_url}/#/?q={TAG}"))

    rows = dom.select("tr", **{"class": "sub-row"})
    assert {a["data-id"] for a, _ in rows} == {str(page_data["active"]), str(page_data["terminated"])}
    assert sorted(a["data-lifecycle"] for a, _ in dom.select("span") if a.get("data-lifecycle")) == [
        "active",
        "terminated",
    ]
    assert dom.select("p", id="result-count")[0][1] == "2 subscription(s)"


def test_subscription_page_nests_workflows_with_reasons_and_links_processes_to_prefect(
    api_url, client, page_data, monkeypatch
):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_PREFECT_UI_URL", "http://prefect.example:4200")
    active = str(page_data["active"])
    pid = client.post("/api/processes/api_modify", json=[{"subscription_id": active}]).json()["id"]
    wait_for(client, pid, {"completed", "failed"})

    dom = Elements(dump_dom(f"{api_url}/#/subscriptions/{page_data['terminated']}"))
    button = dom.select("button", data_workflow="api_modify")[0][0]
    assert "disabled" in button
    reasons = [a["data-reason"] for a, _ in dom.select("span", **{"class": "reason"})]
    assert "subscription.invalid_lifecycle" in reasons
    assert dom.select("div", data_target="modify")

    dom = Elements(dump_dom(f"{api_url}/#/subscriptions/{active}"))
    assert dom.select("h2", id="subscription-title")
    history = dom.select("tr", **{"class": "process-row"})
    assert [a["data-id"] for a, _ in history] == [pid]
    links = [a["href"] for a, _ in dom.select("a", **{"class": "prefect-link"})]
    flow_run_id = client.get(f"/api/processes/{pid}").json()["flow_run_id"]
    assert links == [f"http://prefect.example:4200/runs/flow-run/{flow_run_id}"]
