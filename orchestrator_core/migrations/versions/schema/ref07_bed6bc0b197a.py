"""Marker for the reference's schema revision bed6bc0b197a (block relation names).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "bed6bc0b197a"
down_revision = "19cdd3ab86f6"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
