"""Integrity: report run heartbeats and time limits

Adds report_runs.heartbeat_at (a running run whose heartbeat is too old lost its worker),
report_runs.attempts (retries) and report_runs.selection (a comparison's parameters), and lets
a run be a comparison (no city, no network).

Revision ID: a12c0ffee003
Revises: a12c0ffee002
Create Date: 2026-12-06 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel types)
from alembic import op

revision: str = 'a12c0ffee003'
down_revision: str | None = 'a12c0ffee002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_TARGET = ("(kind = 'network' AND city_id IS NULL AND network_id IS NOT NULL) OR "
              "(kind <> 'network' AND city_id IS NOT NULL)")
NEW_TARGET = ("(kind = 'network' AND city_id IS NULL AND network_id IS NOT NULL) OR "
              "(kind = 'comparison' AND city_id IS NULL AND network_id IS NULL) OR "
              "(kind NOT IN ('network', 'comparison') AND city_id IS NOT NULL)")


def upgrade() -> None:
    """Add the heartbeat, the attempts and the selection; allow comparison runs."""
    with op.batch_alter_table('report_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('selection', sqlmodel.sql.sqltypes.AutoString(length=4000),
                                      nullable=False, server_default=''))
        batch_op.drop_constraint(batch_op.f('ck_report_runs_target'), type_='check')
        batch_op.create_check_constraint('target', NEW_TARGET)
    with op.batch_alter_table('report_runs', schema=None) as batch_op:
        batch_op.alter_column('attempts', server_default=None)
        batch_op.alter_column('selection', server_default=None)


def downgrade() -> None:
    """Drop the comparison runs (the old schema cannot hold them) and the new columns."""
    op.execute("DELETE FROM report_runs WHERE kind = 'comparison'")
    with op.batch_alter_table('report_runs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_report_runs_target'), type_='check')
        batch_op.create_check_constraint('target', OLD_TARGET)
        batch_op.drop_column('selection')
        batch_op.drop_column('attempts')
        batch_op.drop_column('heartbeat_at')
