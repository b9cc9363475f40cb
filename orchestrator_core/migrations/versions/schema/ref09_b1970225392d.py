"""Marker for the reference's schema revision b1970225392d (subscription metadata workflow).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "b1970225392d"
down_revision = "e05bb1967eff"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
