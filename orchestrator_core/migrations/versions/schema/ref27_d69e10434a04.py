"""Marker for the reference's schema revision d69e10434a04 (bounded text fields).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "d69e10434a04"
down_revision = "9736496e3eba"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
