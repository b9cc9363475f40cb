"""A start form on the command line: the pages given with --input (a product by name, ids by prefix), then,
at a terminal, each page still missing asked for field by field (cli/prompts.py) from the schema of the page
the services say the form waits for; elsewhere, one line naming the page and fields that are missing."""

from __future__ import annotations

from typing import Any

from orchestrator_core.cli.prompts import ask_page
from orchestrator_core.forms.validation import FormIncompleteError, page_needs
from orchestrator_core.services.id_prefix import first_page_references
from orchestrator_core.services.processes import pending_start_page


def complete_start_form(workflow: str, pages: list[dict[str, Any]], user: str,
                        interactive: bool) -> list[dict[str, Any]]:
    """The pages that complete WORKFLOW's start form; a refused page is asked again (interactive) or left for
    the start to refuse with its fields (not interactive)."""
    pages = first_page_references(pages)
    while (pending := pending_start_page(workflow, pages, user)) is not None:
        if not interactive:
            if pending.errors:
                return pages  # the start refuses them, naming each wrong field
            raise FormIncompleteError(f"The form needs more input: {page_needs(pending.index, pending.schema)}; "
                                      "give every page with --input '[{...}, {...}]', or run at a terminal",
                                      form=pending.schema, page=pending.index + 1)
        given = pages[pending.index] if pending.index < len(pages) else None
        answer = ask_page(pending.schema, pending.index, pending.errors, given)
        pages = first_page_references([*pages[:pending.index], answer])
    return pages
