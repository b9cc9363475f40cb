"""Marker for the reference's schema revision 3323bcb934e7 (search triggers).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "3323bcb934e7"
down_revision = "a76b9185b334"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
