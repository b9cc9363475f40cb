"""Marker for the reference's schema revision fc5c993a4b4a (process cascade).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "fc5c993a4b4a"
down_revision = "42b3d076a85b"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
