"""A completed process's page in headless Chromium at 1280 px (issue 17): no literal "null" (a step that
changed nothing shows no changes), no horizontal scroll even with a long value in the state, and each
step's changes folded under a summary. Skipped when chromium is not installed."""

from __future__ import annotations

import httpx
import pytest

from tests.api import api_workflows
from tests.api.conftest import register, wait_for
from tests.security.browser import CHROMIUM, browser_page

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def test_a_completed_process_page_has_no_null_and_fits_1280_pixels(api_url):
    register(*api_workflows.ALL)
    long_name = "x" * 400 + " a-name-far-wider-than-the-page-" + "y" * 300
    with httpx.Client(base_url=api_url, timeout=30) as client:
        answer = client.post("/api/processes/api_greet", json=[{"name": long_name, "count": 2}])
        assert answer.status_code in (200, 201), answer.text
        process_id = answer.json()["id"]
        wait_for(client, process_id, {"completed"})

    with browser_page() as page:
        page.command("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        page.goto(f"{api_url}/#/processes/{process_id}")
        page.wait_for("document.querySelector('#process-status')?.textContent === 'completed'")
        page.wait_for("document.querySelectorAll('#steps tbody tr').length > 0")

        lines = page.evaluate("document.body.innerText").splitlines()
        assert "null" not in [line.strip() for line in lines]
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        assert page.evaluate("document.querySelectorAll('#steps details').length") > 0  # diffs folded
        assert page.evaluate("document.querySelectorAll('#steps details[open]').length") == 0
