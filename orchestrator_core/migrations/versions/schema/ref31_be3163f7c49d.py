"""Marker for the reference's schema revision be3163f7c49d (process note).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "be3163f7c49d"
down_revision = "262744958e0c"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
