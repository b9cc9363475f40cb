"""Marker for the reference's schema revision cab8b6a0ac92 (scheduled tasks).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "cab8b6a0ac92"
down_revision = "be3163f7c49d"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
