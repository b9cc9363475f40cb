"""The declarative base and the column types every table shares, for Postgres and SQLite alike."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Query

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


class _QueryProperty:
    """`Table.query`: a legacy `Query` of the mapped class on the current session, as the reference's
    applications write `SubscriptionTable.query.join(ProductTable).filter(...).all()`."""

    def __get__(self, _instance: object, owner: type[Any]) -> Any:
        if "__mapper__" not in vars(owner) and not hasattr(owner, "__table__"):
            return self  # the base class itself, or a class declarative is still mapping
        from orchestrator_core.db.database import session

        return session().query(owner)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

    query: ClassVar[Query[Any]] = _QueryProperty()  # type: ignore[assignment]

    def __repr__(self) -> str:
        columns = sa.inspect(type(self)).column_attrs
        state = sa.inspect(self)
        shown = ", ".join(f"{c.key}={state.dict[c.key]!r}" for c in columns if c.key in state.dict)
        return f"{type(self).__name__}({shown})"


def table_of(model: type[Base]) -> sa.Table:
    """The Core table of a mapped class (typed `FromClause` by SQLAlchemy; ours are all `Table`s)."""
    table = model.__table__
    assert isinstance(table, sa.Table), f"{model.__name__} is not mapped to a Table"
    return table
