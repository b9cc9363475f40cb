"""Marker for the reference's schema revision 048219045729 (workflow id on processes).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "048219045729"
down_revision = "da5c9f4cce1c"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
