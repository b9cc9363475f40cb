"""A form page asked for field by field at the terminal, built from the page's JSON schema (pydantic-forms):
a choice for an enum, yes/no for a boolean, a number for a number, the default offered when there is one.
Read-only fields (labels, dividers) are shown, not asked. Anything more complex is typed as JSON."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

console = Console()
_NO_VALUE = object()


def _resolved(schema: dict[str, Any], field: dict[str, Any]) -> dict[str, Any]:
    """The field with a `$ref` (an enum's definition) and a nullable `anyOf` read through."""
    ref = field.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        field = {**schema.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {}), **{k: v for k, v in field.items()
                                                                                   if k != "$ref"}}
    for option in field.get("anyOf", []):
        if isinstance(option, dict) and option.get("type") != "null":
            merged = _resolved(schema, option)
            return {**merged, **{k: v for k, v in field.items() if k != "anyOf"}, "nullable": True}
    return field


def _convert(kind: str | None, text: str) -> Any:
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind in ("array", "object"):
        return json.loads(text)
    return text


def _choose(title: str, choices: list[str], default: Any) -> str:
    shown = str(default) if default is not _NO_VALUE and default is not None else None
    while True:
        text = str(typer.prompt(f"{title} [{'/'.join(choices)}]", default=shown, show_default=shown is not None))
        if text in choices:
            return text
        console.print(f"[red]{title}: choose one of {', '.join(choices)}[/red]")


def ask_field(name: str, title: str, field: dict[str, Any], required: bool) -> Any:
    """One field's value from the terminal; `_NO_VALUE` for an optional field left empty."""
    default = field.get("default", _NO_VALUE)
    choices = field.get("enum")
    kind = field.get("type")
    if choices:
        labels = field.get("options") or {}
        for value, label in labels.items():
            if label != value:
                console.print(f"  {value}: {label}", highlight=False)
        return _choose(title, [str(choice) for choice in choices], default)
    if kind == "boolean":
        return typer.confirm(title, default=bool(default) if default is not _NO_VALUE else None)
    while True:
        hint = " (JSON)" if kind in ("array", "object") else ""
        shown = default if default is not _NO_VALUE and default is not None else None
        if shown is not None and kind in ("array", "object"):
            shown = json.dumps(shown)
        text = typer.prompt(f"{title}{hint}", default=shown if shown is not None else ("" if not required else None),
                            show_default=shown is not None)
        if text == "" and not required:
            return _NO_VALUE
        try:
            return _convert(kind, str(text))
        except ValueError as exc:
            console.print(f"[red]{title}: {exc}[/red]")


def ask_page(schema: dict[str, Any], index: int, errors: list[dict[str, Any]],
             given: dict[str, Any] | None = None) -> dict[str, Any]:
    """Ask for every field of one page; `errors` (from a refused try) are shown first."""
    title = schema.get("title")
    named = f": {title}" if title and title != "unknown" else ""
    console.print(f"[bold]Form page {index + 1}{named}[/bold]")
    for error in errors:
        console.print(f"  [red]{error.get('field')}: {error.get('message')}[/red]")
    required = set(schema.get("required", []))
    page: dict[str, Any] = {}
    wrong = {str(error.get("field", "")).split(".")[0] for error in errors}
    for name, raw in schema.get("properties", {}).items():
        field = _resolved(schema, raw)
        if field.get("readOnly"):
            if field.get("format") == "label" and field.get("default"):
                console.print(f"[dim]{field['default']}[/dim]", highlight=False)
            continue
        if given is not None and name not in wrong:  # a page given, then refused: ask only what was wrong
            if name in given:
                page[name] = given[name]
                continue
            if name not in required:
                continue
        title = raw.get("title") or name.replace("_", " ").capitalize()
        value = ask_field(name, title, field, name in required and "default" not in field)
        if value is not _NO_VALUE:
            page[name] = value
    return page
