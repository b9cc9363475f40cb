"""Marker for the reference's schema revision 460ec6748e37 (uuid search).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "460ec6748e37"
down_revision = "048219045729"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
