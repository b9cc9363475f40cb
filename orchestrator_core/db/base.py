"""The declarative base and the column types every table shares, for Postgres and SQLite alike."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
"""State documents: JSONB on Postgres, JSON text on SQLite."""

BigIntPK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""An auto-increment key on both dialects (SQLite only autoincrements INTEGER)."""


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware datetimes on both dialects (SQLite stores naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> sa.Table:
    """The Core table of a mapped class (typed `FromClause` by SQLAlchemy; ours are all `Table`s)."""
    table = model.__table__
    assert isinstance(table, sa.Table), f"{model.__name__} is not mapped to a Table"
    return table
