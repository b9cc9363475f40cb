"""Marker for the reference's schema revision 42b3d076a85b (subscription instance as JSON).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "42b3d076a85b"
down_revision = "bac6be6f2b4f"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
