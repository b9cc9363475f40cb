"""`orchestrator products`, `workflows`, `subscriptions` and `processes`: tables that fit an 80-column
terminal (ids cut to a prefix that every command takes back), full ids with `--wide`, and `--json` for
scripts (a JSON list of objects with full ids, on stdout alone)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from orchestrator_core.services.id_prefix import short
from orchestrator_core.types import ProcessStatus

LIST_LIMIT_MAX = 1000
console = Console()

Json = Annotated[bool, typer.Option("--json", help="Print a JSON list (full ids) instead of a table")]
Wide = Annotated[bool, typer.Option("--wide", help="Full ids (the table may then be wider than the terminal)")]
Limit = Annotated[int, typer.Option(min=1, max=LIST_LIMIT_MAX, help="At most this many rows")]


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    return str(value)


def _json_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


Style = Callable[[dict[str, Any]], str | None]


def emit(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], *, as_json: bool,
         wide: bool, ids: Sequence[str] = (), names: Sequence[str] = (), styles: Style | None = None) -> None:
    """One listing: JSON of `rows`, or a table of `columns` (key, heading); keys in `ids` are shortened
    unless `wide`; keys in `names` are cut with an ellipsis rather than wrapped."""
    if as_json:
        typer.echo(json.dumps(list(rows), default=_json_value, indent=2))
        return
    table = Table(title=f"{title} ({len(rows)})", title_justify="left")
    for key, heading in columns:
        table.add_column(heading, no_wrap=key in ids or key in names,
                         overflow="ellipsis" if key in names else "fold")
    for row in rows:
        cells = [(_plain(row.get(key)) if wide or key not in ids else short(row.get(key) or ""))
                 for key, _ in columns]
        table.add_row(*cells, style=styles(row) if styles else None)
    if wide:  # as wide as the table needs, even past the terminal's edge: full ids, never cut
        needed = Measurement.get(console, console.options.update_width(10_000), table).maximum
        Console(width=max(console.width, needed)).print(table)
        return
    console.print(table)


def _status_style(row: dict[str, Any]) -> str | None:
    return {"failed": "red", "crashed": "red", "suspended": "yellow", "waiting": "yellow",
            "awaiting_callback": "yellow"}.get(str(row.get("status")))


def products(tag: Annotated[str | None, typer.Option(help="Only products with this tag")] = None,
             as_json: Json = False, wide: Wide = False) -> None:
    """List the products: a create workflow takes a product by name or id (`--input '{"product": "NAME"}'`)."""
    from orchestrator_core.services.catalogue import list_products

    rows = [{key: item[key] for key in ("product_id", "name", "tag", "product_type", "status", "workflows")}
            for item in list_products(tag)]
    emit("Products", rows, [("product_id", "id"), ("name", "name"), ("tag", "tag"), ("status", "status"),
                            ("workflows", "workflows")], as_json=as_json, wide=wide, ids=("product_id",))


def workflows(target: Annotated[str | None, typer.Option(help="Only this target: create, modify, ...")] = None,
              as_json: Json = False, wide: Wide = False) -> None:
    """List the registered workflows, with their target and the products they run on."""
    from orchestrator_core.services.catalogue import list_workflows

    rows = [{key: item[key] for key in ("name", "target", "description", "is_task", "has_code", "products")}
            for item in list_workflows(target)]
    emit("Workflows", rows, [("name", "name"), ("target", "target"), ("description", "description"),
                             ("products", "products")], as_json=as_json, wide=wide, names=("name",))


def subscriptions(search: Annotated[str | None, typer.Argument(help="Words to search for, as the API's search")]
                  = None,
                  status: Annotated[str | None, typer.Option(help="Only this lifecycle: active, ...")] = None,
                  product: Annotated[str | None, typer.Option(help="Only this product (name)")] = None,
                  limit: Limit = 20, as_json: Json = False, wide: Wide = False) -> None:
    """List subscriptions, newest first."""
    from orchestrator_core.services.subscription_search import SubscriptionQuery, search_subscriptions

    query = SubscriptionQuery(text=search, statuses=(status,) if status else (), product=product, limit=limit)
    rows = [{key: item.get(key) for key in ("subscription_id", "description", "status", "insync", "customer_id",
                                            "product_name", "start_date")}
            for item in search_subscriptions(query).items]
    emit("Subscriptions", rows, [("subscription_id", "id"), ("description", "description"), ("status", "lifecycle"),
                                 ("insync", "in sync"), ("product_name", "product")],
         as_json=as_json, wide=wide, ids=("subscription_id",), names=("status",))


def processes(status: Annotated[ProcessStatus | None, typer.Option(case_sensitive=False)] = None,
              workflow: Annotated[str | None, typer.Option(help="Only this workflow's")] = None,
              limit: Limit = 20, as_json: Json = False, wide: Wide = False) -> None:
    """List recent processes, newest first."""
    from orchestrator_core.services.process_queries import list_processes

    rows = [{"process_id": str(view.process_id), "workflow": view.workflow_name, "status": view.status,
             "last_step": view.last_step, "started_at": view.started_at, "created_by": view.created_by}
            for view in list_processes(status=status.value if status else None, workflow=workflow, limit=limit)]
    emit("Processes", rows, [("process_id", "id"), ("workflow", "workflow"), ("status", "status"),
                             ("last_step", "last step"), ("started_at", "started"), ("created_by", "by")],
         as_json=as_json, wide=wide, ids=("process_id",), names=("workflow", "status"), styles=_status_style)
