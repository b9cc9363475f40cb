"""Marker for the reference's schema revision f4a7c9e21b08 (validate awaiting callbacks task).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "f4a7c9e21b08"
down_revision = "cab8b6a0ac92"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
