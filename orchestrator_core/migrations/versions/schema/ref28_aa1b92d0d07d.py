"""Marker for the reference's schema revision aa1b92d0d07d (is_task of validate product task).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "aa1b92d0d07d"
down_revision = "d69e10434a04"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
