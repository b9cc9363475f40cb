"""Marker for the reference's schema revision 961eddbd4c13 (scheduler linker table).

Applications' data heads depend on a reference schema revision by id; this marker lets them resolve here.
"""

from orchestrator_core.migrations.reference_marker import downgrade, upgrade

revision = "961eddbd4c13"
down_revision = "850dccac3b02"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "upgrade"]
