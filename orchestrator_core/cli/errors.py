"""One line and exit code 2 for whatever a user gets wrong on the command line, never a traceback.

Every command of `orchestrator` runs under `OneLineErrors`, the app's click group, so that one
handler decides how an error ends a command: a bad argument (click's usage errors and our own
`BadParameter`s) goes to stderr, as click's own messages do; a refusal of the services
(`OrchestratorError`), input a model refuses (pydantic's `ValidationError`, e.g. a setting in the
environment) and a revision alembic cannot find are the command's answer and go to stdout. Anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from typer.core import TyperGroup

from orchestrator_core.errors import OrchestratorError

BAD_USAGE = 2


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def refusal_line(exc: OrchestratorError) -> str:
    fields = "".join(f"; {field.get('field')}: {field.get('message')}" for field in exc.details.get("fields", [])
                     if isinstance(field, dict))
    return one_line(f"Refused ({exc.code}): {exc.message}{fields}")


def invalid_line(exc: ValidationError) -> str:
    problems = "; ".join(f"{'.'.join(str(part) for part in error['loc']) or '(value)'}: {error['msg']}"
                         for error in exc.errors())
    return one_line(f"Invalid {exc.title}: {problems}")


def usage_line(exc: typer.TyperException) -> str:
    """Click's message (typer vendors click: its exceptions all derive from `TyperException`)."""
    context = getattr(exc, "ctx", None)
    where = f"{context.command_path}: " if context is not None else ""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    return one_line(f"Error: {where}{message}")


def _alembic_error() -> type[Exception]:
    try:
        from alembic.util import CommandError
    except ImportError:  # pragma: no cover - alembic is a dependency
        return OrchestratorError
    return CommandError


def _database_error() -> type[Exception]:
    from sqlalchemy.exc import DBAPIError

    return DBAPIError


def _first_line(exc: BaseException) -> str:
    return (str(getattr(exc, "orig", exc)).strip().splitlines() or [type(exc).__name__])[0]


def _end(line: str, code: int, *, err: bool) -> NoReturn:
    typer.echo(line, err=err)
    sys.exit(code)


class OneLineErrors(TyperGroup):
    """The `orchestrator` group: runs a command and ends every user error with one line."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        def run() -> Any:
            return super(OneLineErrors, self).main(args, prog_name, complete_var, standalone_mode=False,
                                                   windows_expand_args=windows_expand_args, **extra)

        if not standalone_mode:
            return run()
        try:
            result = run()
        except typer.Abort:
            _end("Aborted.", 1, err=True)
        except typer.TyperException as exc:
            _end(usage_line(exc), getattr(exc, "exit_code", BAD_USAGE), err=True)
        except OrchestratorError as exc:
            _end(refusal_line(exc), BAD_USAGE, err=False)
        except ValidationError as exc:
            _end(invalid_line(exc), BAD_USAGE, err=False)
        except _database_error() as exc:
            from orchestrator_core.cli.database_ready import missing_table, upgrade_advice

            if not missing_table(exc):
                raise
            _end(one_line(f"Refused (database.schema_not_ready): The database has no orchestrator tables "
                          f"({_first_line(exc)}); {upgrade_advice()}"), BAD_USAGE, err=False)
        except _alembic_error() as exc:
            _end(one_line(f"Refused (migrations): {exc}"), BAD_USAGE, err=False)
        sys.exit(result if isinstance(result, int) else 0)
