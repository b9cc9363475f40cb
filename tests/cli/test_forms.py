"""Forms on the command line (issue 17): a form of two pages completed through the prompts, a refused
answer asked again, a product given by name, and without a terminal one line naming the missing page."""

from __future__ import annotations

import json
import uuid

from orchestrator_core.services.process_queries import get_process
from tests.cli.invoking import invoke, process_id_in


def test_a_two_page_form_is_completed_through_the_prompts():
    # page 1: name; page 2: colour (a choice: a wrong one is asked again), count (default 3), note (optional)
    result = invoke("run", "cli_two_pages", "--interactive", input="Ada\npurple\ngreen\n\n\n")

    assert result.exit_code == 0, result.output
    assert "Form page 1" in result.output and "Form page 2" in result.output
    assert "choose one of red, green, blue" in result.output
    state = get_process(uuid.UUID(process_id_in(result.output))).state
    assert state["greeting"] == "Ada green 3"


def test_a_refused_page_is_shown_with_its_errors_and_asked_again():
    result = invoke("run", "cli_two_pages", "--interactive", "--input", '[{"name": "Bo"}, {"colour": "red", '
                    '"count": "many"}]', input="7\n")

    assert result.exit_code == 0, result.output
    assert "count" in result.output and "Form page 2" in result.output


def test_without_a_terminal_a_missing_page_is_named_in_one_line():
    result = invoke("run", "cli_two_pages", "--no-interactive", "--input", '{"name": "Ada"}')

    assert result.exit_code == 2, result.output
    line, = result.output.strip().splitlines()
    assert "Refused (form.not_complete)" in line and "page 2" in line and "colour (required)" in line


def test_a_product_is_taken_by_name():
    page = {"customer_id": "c-1", "select_node": "lon-rt1", "role_id": "core", "url": "https://lon-rt1.example.net"}
    result = invoke("run", "create_node_enrollment", "--no-interactive", "--input",
                    json.dumps([{"product": "node enrollment"}, page]))

    assert result.exit_code == 0, result.output
    unknown = invoke("run", "create_node_enrollment", "--no-interactive", "--input", '{"product": "Nope"}')
    assert unknown.exit_code == 2 and "No product is named 'Nope'" in unknown.output
