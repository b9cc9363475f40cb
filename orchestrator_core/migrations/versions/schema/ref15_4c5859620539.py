"""Marker for the reference's schema revision 4c5859620539 (subscription version).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "4c5859620539"
down_revision = "460ec6748e37"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
