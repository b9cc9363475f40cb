"""Marker for the reference's schema revision bac6be6f2b4f (input states).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "bac6be6f2b4f"
down_revision = "4fjdn13f83ga"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
