"""Structured logging, configured once by every entry point (serve, the worker, the CLI, an application's
OrchestratorCore), so that no record leaves the process unformatted or unredacted.

structlog and the standard library share one handler on the root logger: records of either kind go
through the same processors and one renderer, console or JSON (ORCHESTRATOR_LOG_FORMAT). Two rules
keep secrets out of the logs, whatever a library logs:

- form input is never logged: pydantic-forms logs every submission (`user_inputs`, `state`) at debug;
  its loggers are held at WARNING and such keys are dropped from any record;
- passwords in URLs, bearer tokens and basic credentials (`Authorization: Basic ...`, as Prefect's
  server auth string travels) are masked in every rendered line (`redact_text`), tracebacks
  included. `redact_url` is the same rule for a URL we print ourselves.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from orchestrator_core.log_config import LOGGER_OVERRIDES
from orchestrator_core.settings import app_settings

HANDLER_NAME = "orchestrator"
"""The root handler this module installs (and replaces when configured again)."""

FORM_INPUT_KEYS = frozenset({"user_inputs", "user_input", "state", "form_data", "password", "secret", "token"})
"""Keys of a structured record that carry form input or secrets; dropped from every record."""

QUIET_LOGGERS = ("pydantic_forms",)
"""Libraries that log form input below WARNING."""

_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/?#@\s'\"]*):(?P<password>[^@/\s'\"]*)@")
_AUTHORIZATION = re.compile(r"(?i)(authorization['\"]?\s*[:=,]\s*['\"]?(?:[a-z]+\s+)?)[^\s'\",;)}\]]+")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9\-._~+/]{16,}=*")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")
MASK = "***"


def redact_url(url: str) -> str:
    """`url` with its password (if any) masked, for printing: `postgresql://app:***@db/orchestrator`."""
    return _URL_PASSWORD.sub(lambda m: f"{m['head']}:{MASK}@", url)


def redact_text(text: str) -> str:
    """`text` with every URL password, bearer or basic credential and JWT masked."""
    text = redact_url(text)
    text = _AUTHORIZATION.sub(lambda m: f"{m[1]}{MASK}", text)
    text = _BEARER.sub(lambda m: f"{m[1]}{MASK}", text)
    return _JWT.sub(MASK, text)


def drop_form_input(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: remove the keys that carry form input or secrets."""
    for key in FORM_INPUT_KEYS.intersection(event_dict):
        event_dict[key] = "(not logged)"
    return event_dict


class _Redacting:
    """Wraps the final renderer: whatever it produced is masked before it is written."""

    def __init__(self, renderer: Any) -> None:
        self.renderer = renderer

    def __call__(self, logger: Any, method: str, event_dict: MutableMapping[str, Any]) -> str:
        rendered = self.renderer(logger, method, event_dict)
        return redact_text(rendered if isinstance(rendered, str) else str(rendered))


def _renderers(log_format: str) -> list[Any]:
    if log_format == "json":
        return [structlog.processors.format_exc_info, _Redacting(structlog.processors.JSONRenderer())]
    # plain tracebacks: a rich traceback would print every frame's local variables, form input included
    console = structlog.dev.ConsoleRenderer(
        colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
    )
    return [_Redacting(console)]


def _console(handler: logging.Handler) -> bool:
    """A handler another library put on the root logger to write to the terminal (Prefect's console
    handler): replaced by ours, so that each record is written once, formatted and redacted."""
    if type(handler).__name__ == "PrefectConsoleHandler":
        return True
    stream = getattr(handler, "stream", None)
    return isinstance(handler, logging.StreamHandler) and stream is not None and any(
        stream is terminal for terminal in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__)
    )


class RecordedFailures(logging.Filter):
    """One log line per failed step, not ~60: a step's failure is recorded in the step log with its
    traceback (`orchestrator process ID` shows it), so Prefect's records of it lose their traceback, and the
    records that only repeat it (the task's and the flow's "Finished in state Failed", the flow's
    re-raise) are left out. Exceptions say so themselves (`recorded_in_step_log`, `repeats_a_step_failure`)."""

    REPEATS = ("StepFailedError", "ProcessDidNotCompleteError")

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("prefect"):
            return True
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and getattr(exc, "repeats_a_step_failure", False):
            return False
        if exc is not None and getattr(exc, "recorded_in_step_log", False):
            record.exc_info = None
            record.exc_text = None
            return True
        message = record.getMessage()
        return not (message.startswith("Finished in state Failed") and any(r in message for r in self.REPEATS))


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is now, not the one it was created with: a command run twice in
    one process (tests' CliRunner swaps and closes stderr) never writes to a closed stream."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


_configured: tuple[str, str] | None = None


def configure_logging(log_format: str | None = None, level: str | None = None, *, force: bool = False) -> None:
    """Configure structlog and the standard library's root logger once a process; later calls with the
    same format and level do nothing (`force` re-applies, e.g. after a library replaced the config)."""
    global _configured
    wanted = (
        log_format or app_settings.ORCHESTRATOR_LOG_FORMAT,
        (level or app_settings.ORCHESTRATOR_LOG_LEVEL).upper(),
    )
    if _configured == wanted and not force:
        return
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        drop_form_input,
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *_renderers(wanted[0])],
    )
    handler = _StderrHandler()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(formatter)
    handler.addFilter(RecordedFailures())
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == HANDLER_NAME or _console(h)]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(wanted[1])
    for name, config in LOGGER_OVERRIDES.items():
        logging.getLogger(name).setLevel(config["level"])
    for name in QUIET_LOGGERS:
        quiet = logging.getLogger(name)
        quiet.setLevel(max(logging.WARNING, quiet.getEffectiveLevel()))
    _configured = wanted
