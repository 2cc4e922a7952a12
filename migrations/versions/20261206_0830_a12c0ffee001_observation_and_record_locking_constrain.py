"""Integrity: observation and record locking constraints

Revision ID: a12c0ffee001
Revises: 06d304dcdd25
Create Date: 2026-12-06 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel types)
from alembic import op  # noqa: F401


revision: str = 'a12c0ffee001'
down_revision: str | None = '06d304dcdd25'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    pass


def downgrade() -> None:
    """Revert this revision."""
    pass
