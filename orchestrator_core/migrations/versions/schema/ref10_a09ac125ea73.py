"""Marker for the reference's schema revision a09ac125ea73 (search refresh throttling).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "a09ac125ea73"
down_revision = "b1970225392d"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
