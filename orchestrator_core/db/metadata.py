"""The complete schema: importing this module registers every table on `Base.metadata`."""

from orchestrator_core.db import process_tables, product_tables, subscription_tables  # noqa: F401
from orchestrator_core.db.base import Base

target_metadata = Base.metadata
