"""Open SDG in and out: period labels and kinds, source values and attributes, per-indicator
calendar and progress options, SDMX reference area

Revision ID: a14c0ffee001
Revises: a12c0ffee004
Create Date: 2026-12-06 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tracker.db import ExactDecimal

revision: str = 'a14c0ffee001'
down_revision: str | None = 'a12c0ffee004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIOD_KIND = sa.Enum('year', 'split', 'quarter', 'range', name='periodkind',
                      native_enum=False, length=40)
CALENDAR = sa.Enum('calendar', 'fiscal', name='periodcalendar', native_enum=False, length=40)
RULE = sa.Enum('headline', 'configured', 'mean_of_breakdowns', name='progressrule',
               native_enum=False, length=40)
OLD_KEY = ['indicator_id', 'year', 'quarter', 'breakdown_key']
NEW_KEY = ['indicator_id', 'year', 'quarter', 'span_years', 'breakdown_key']


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_label', sqlmodel.sql.sqltypes.AutoString(length=40),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('period_kind', PERIOD_KIND, nullable=False,
                                      server_default='year'))
        batch_op.add_column(sa.Column('span_years', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('value_text', sqlmodel.sql.sqltypes.AutoString(length=60),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('progress_value', ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('attributes', sa.JSON(), nullable=False,
                                      server_default='{}'))
        batch_op.create_check_constraint('span_years_range', 'span_years BETWEEN 1 AND 50')
        batch_op.drop_constraint(
            batch_op.f('uq_observations_indicator_id_year_quarter_breakdown_key'), type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_observations_indicator_id_year_quarter_span_years_breakdown_key'),
            NEW_KEY)
    with op.batch_alter_table('local_indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar', CALENDAR, nullable=True))
        batch_op.add_column(sa.Column('progress_rule', RULE, nullable=False,
                                      server_default='headline'))
        batch_op.add_column(sa.Column('progress_options', sa.JSON(), nullable=False,
                                      server_default='[]'))
        batch_op.add_column(sa.Column('auto_progress', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('manual_progress_status',
                                      sqlmodel.sql.sqltypes.AutoString(length=40),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('opensdg_id', sqlmodel.sql.sqltypes.AutoString(length=40),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('source_meta', sa.JSON(), nullable=False,
                                      server_default='{}'))
    with op.batch_alter_table('cities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref_area_code',
                                      sqlmodel.sql.sqltypes.AutoString(length=40),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    """Revert this revision (the old unique key refuses a range beside a year it starts in)."""
    with op.batch_alter_table('cities', schema=None) as batch_op:
        batch_op.drop_column('ref_area_code')
    with op.batch_alter_table('local_indicators', schema=None) as batch_op:
        for name in ('source_meta', 'opensdg_id', 'manual_progress_status', 'auto_progress',
                     'progress_options', 'progress_rule', 'calendar'):
            batch_op.drop_column(name)
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_observations_indicator_id_year_quarter_span_years_breakdown_key'),
            type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_observations_indicator_id_year_quarter_breakdown_key'), OLD_KEY)
        batch_op.drop_constraint(batch_op.f('ck_observations_span_years_range'), type_='check')
        for name in ('attributes', 'progress_value', 'value_text', 'span_years', 'period_kind',
                     'period_label'):
            batch_op.drop_column(name)
