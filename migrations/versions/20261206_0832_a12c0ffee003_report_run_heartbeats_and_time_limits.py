"""Integrity: report run heartbeats and time limits

Revision ID: a12c0ffee003
Revises: a12c0ffee002
Create Date: 2026-12-06 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel types)
from alembic import op  # noqa: F401


revision: str = 'a12c0ffee003'
down_revision: str | None = 'a12c0ffee002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    pass


def downgrade() -> None:
    """Revert this revision."""
    pass
