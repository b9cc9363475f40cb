"""Marker for the reference's schema revision 262744958e0c (search tables).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "262744958e0c"
down_revision = "fbc16e410bc6"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
