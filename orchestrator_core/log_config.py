"""Log levels for chatty libraries, as the reference hands them to logging set-up.

`LOGGER_OVERRIDES` is a dict of logger name -> `{"level": ..., "propagate": True}`, the `loggers`
part of a `logging.config.dictConfig`: what an application's main.py passes to nwastdlib's
`initialise_logging(LOGGER_OVERRIDES)`, or merges into its own logging config. Each level can be
changed at deploy time: logger `sqlalchemy.engine` by `LOG_LEVEL_SQLALCHEMY_ENGINE`, and so on.
"""

from __future__ import annotations

import os


def logger_config(name: str, default_level: str = "INFO") -> tuple[str, dict]:
    """The override of logger `name`: its level from `LOG_LEVEL_<NAME>` (dots as underscores), else
    `default_level`; records propagate, so the root logger's handlers format them."""
    variable = "LOG_LEVEL_" + name.upper().replace(".", "_")
    return name, {"level": os.environ.get(variable, default_level).upper(), "propagate": True}


LOGGER_OVERRIDES = dict(
    [
        logger_config("alembic", default_level="WARNING"),  # set-up lines on every look; `db upgrade` says the outcome
        logger_config("asyncio"),
        logger_config("httpcore"),
        logger_config("httpx", default_level="WARNING"),  # a line per Prefect API call at INFO
        logger_config("sqlalchemy.engine", default_level="WARNING"),
        logger_config("uvicorn"),
    ]
)
