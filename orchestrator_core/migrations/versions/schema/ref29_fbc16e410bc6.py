"""Marker for the reference's schema revision fbc16e410bc6 (engine settings).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "fbc16e410bc6"
down_revision = "aa1b92d0d07d"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
