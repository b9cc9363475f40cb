"""Marker for the reference's schema revision e05bb1967eff (subscription search view).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "e05bb1967eff"
down_revision = "bed6bc0b197a"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
