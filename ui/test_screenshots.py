"""orchestrator-ui's pages in headless Chromium, on our API with the demo's data (run by scripts/test-ui).

The lane starts `main.py serve` on a fresh SQLite database and this directory's Next.js app (the published
`@orchestrator-ui/orchestrator-ui-components` package) pointed at it, then sets ORCHESTRATOR_UI_TEST_API and
ORCHESTRATOR_UI_TEST_URL. Each page must show our data and no error banner; its screenshot is kept in
ui/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser import chromium_page

API = os.environ.get("ORCHESTRATOR_UI_TEST_API", "")
UI = os.environ.get("ORCHESTRATOR_UI_TEST_URL", "")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).parent / "screenshots"
CUSTOMER = "ui-lane-customer"
ERROR_BANNERS = ("An error occurred", "Unknown error", "An unexpected error occurred", "Application error")
"""What orchestrator-ui writes where a page or a part of it failed. (Its "Incompatible version" badge is always in
the DOM, hidden when the API is recent enough: `test_the_api_level_is_one_this_ui_accepts` checks that.)"""
PACKAGE = Path(__file__).parent / "node_modules" / "@orchestrator-ui" / "orchestrator-ui-components"

pytestmark = pytest.mark.skipif(not (API and UI and CHROMIUM), reason="run by scripts/test-ui (API, UI, chromium)")


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
             "--disable-background-networking", "--window-size=1440,1000", "--virtual-time-budget=20000"]
    return subprocess.run([CHROMIUM or "chromium", *flags, *args], capture_output=True, text=True, timeout=120,
                          check=True)


def page(path: str, name: str) -> str:
    """The page's DOM after its scripts and fetches ran, and its screenshot as ui/screenshots/<name>.png."""
    SHOTS.mkdir(exist_ok=True)
    _chromium(f"--screenshot={SHOTS / f'{name}.png'}", f"{UI}{path}")
    return _chromium("--dump-dom", f"{UI}{path}").stdout


def assert_no_error_banner(dom: str) -> None:
    shown = [banner for banner in ERROR_BANNERS if banner in dom]
    assert not shown, shown


def _wait(client: httpx.Client, process_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/processes/{process_id}").raise_for_status().json()
        if body["status"] not in ("created", "running"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"process {process_id} did not stop")


def _run(client: httpx.Client, workflow: str, pages: list[dict[str, Any]]) -> str:
    started = client.post(f"/api/processes/{workflow}", json=pages)
    assert started.status_code == 201, started.text
    process_id: str = started.json()["id"]
    assert _wait(client, process_id)["status"] == "completed"
    return process_id


@pytest.fixture(scope="module")
def demo() -> dict[str, str]:
    """A Node Enrollment created, provisioned and modified through the API."""
    with httpx.Client(base_url=API, timeout=60) as client:
        product = next(p for p in client.get("/api/products").json() if p["name"] == "Node Enrollment")
        form = {"customer_id": CUSTOMER, "select_node": "ams-rt1", "role_id": "core",
                "url": "https://ams-rt1.mgmt.example.net"}
        created = _run(client, "create_node_enrollment", [{"product": product["product_id"]}, form])
        subscription = client.get(f"/api/processes/{created}").json()["subscription_ids"][0]
        for workflow in ("provision_node_enrollment", "modify_node_enrollment"):
            _run(client, workflow, [{"subscription_id": subscription}])
        description = client.get(f"/api/subscriptions/{subscription}").json()["description"]
    return {"process": created, "subscription": subscription, "description": description}


def test_subscriptions_list(demo: dict[str, str]) -> None:
    dom = page("/subscriptions", "subscriptions-list")
    assert_no_error_banner(dom)
    assert demo["description"] in dom


def test_subscription_detail(demo: dict[str, str]) -> None:
    dom = page(f"/subscriptions/{demo['subscription']}", "subscription-detail")
    assert_no_error_banner(dom)
    assert demo["description"] in dom and "Node Enrollment" in dom


def test_processes_list(demo: dict[str, str]) -> None:
    dom = page("/workflows?activeTab=COMPLETED", "processes-list")
    assert_no_error_banner(dom)
    assert "create_node_enrollment" in dom or "Create Node Enrollment" in dom


def test_process_detail_with_steps(demo: dict[str, str]) -> None:
    dom = page(f"/workflows/{demo['process']}", "process-detail")
    assert_no_error_banner(dom)
    assert "Construct Node Enrollment model" in dom


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_the_api_level_is_one_this_ui_accepts() -> None:
    """The header's incompatibility badge shows when `version` is below the package's minimum for its version."""
    ui_version = json.loads((PACKAGE / "package.json").read_text())["version"]
    mapping = re.findall(r'orchestratorUiVersion: "([\d.]+)",\s*minimumOrchestratorCoreVersion: "([\d.]+)"',
                         (PACKAGE / "dist" / "index.js").read_text())
    minimum = max((_version(core) for ui, core in mapping if _version(ui) <= _version(ui_version)), default=(0,))
    answer = httpx.post(f"{API}/api/graphql", json={"query": "{ version { applicationVersions } }"}).json()
    ours = re.fullmatch(r"orchestrator-core: ([\d.]+)", answer["data"]["version"]["applicationVersions"][0])
    assert ours and _version(ours[1]) >= minimum, (ui_version, minimum, ours)


def _field(label: str) -> str:
    """The input of the form field labelled `label` (pydantic-forms gives text inputs no id)."""
    return (f"[...document.querySelectorAll('input')].find(i => {{ const row = i.closest('.euiFormRow'); "
            f"return row && row.innerText.trim().startsWith({json.dumps(label)}); }})")


def test_start_form_of_create_node_enrollment_through_to_a_completed_process() -> None:
    with httpx.Client(base_url=API, timeout=60) as client:
        product = next(p for p in client.get("/api/products").json() if p["name"] == "Node Enrollment")
    with chromium_page() as browser:
        browser.open(f"{UI}/workflows/new/create_node_enrollment?productId={product['product_id']}")
        browser.wait_for("document.body && document.body.innerText.includes('Start workflow')", "the start form")
        browser.screenshot(SHOTS / "start-form.png")
        browser.type_into(_field("Customer Id"), "ui-form-customer")
        for field, choice in (("select_node", "lon-rt1"), ("role_id", "core")):
            browser.type_into(f"document.getElementById('{field}.search')", choice)
            browser.key("Enter", 13)
        browser.type_into(_field("Url"), "https://lon-rt1.mgmt.example.net")
        browser.click_text("button", "Start workflow")
        process_id = browser.wait_for(
            "(m => m && m[1])(location.pathname.match(/^\\/workflows\\/([0-9a-f-]{36})$/))", "the process page")
        with httpx.Client(base_url=API, timeout=60) as client:
            assert _wait(client, process_id)["status"] == "completed"
        browser.open(f"{UI}/workflows/{process_id}")
        browser.wait_for("document.body && document.body.innerText.includes('COMPLETED')", "the completed process")
        browser.wait_for("document.body.innerText.includes('Construct Node Enrollment model')", "its steps")
        browser.screenshot(SHOTS / "started-process.png")
        assert_no_error_banner(str(browser.js("document.documentElement.outerHTML")))
