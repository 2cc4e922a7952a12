"""Exact decimals at any precision: unconstrained NUMERIC on PostgreSQL (SQLite keeps text)

Open SDG repositories publish values such as 5.74112931965; NUMERIC(28, 10) could not hold
them exactly. Changing numeric(28,10) to numeric needs no table rewrite on PostgreSQL.

Revision ID: a14c0ffee002
Revises: a14c0ffee001
Create Date: 2026-12-06 13:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a14c0ffee002'
down_revision: str | None = 'a14c0ffee001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NUMERIC_28_10 = sa.Numeric(28, 10)
COLUMNS = {
    'adaptation_goals': ['progress_percent'],
    'climate_actions': ['total_cost', 'expected_reduction_tco2e'],
    'ghg_inventories': ['reported_scope1', 'reported_scope2', 'reported_scope3',
                        'reported_basic', 'reported_basic_plus', 'reported_generation'],
    'indicator_targets': ['value'],
    'inventory_cells': ['value'],
    'local_indicators': ['band_low', 'band_high', 'baseline_value', 'natural_limit'],
    'mitigation_targets': ['base_year_emissions', 'base_year_intensity', 'reduction_percent',
                           'target_year_emissions', 'bau_emissions',
                           'reported_percent_achieved'],
    'observations': ['value', 'progress_value'],
    'past_hazard_events': ['economic_loss'],
    'plan_elements': ['budget'],
}


def on_postgresql() -> bool:
    """Only PostgreSQL has a numeric type to change: SQLite stores these values as text."""
    return op.get_bind().dialect.name == 'postgresql'


def upgrade() -> None:
    """Apply this revision."""
    if on_postgresql():
        for table, columns in COLUMNS.items():
            for column in columns:
                op.alter_column(table, column, type_=sa.Numeric(), existing_type=NUMERIC_28_10)


def downgrade() -> None:
    """Revert this revision (values beyond 10 decimal places are rounded by PostgreSQL)."""
    if on_postgresql():
        for table, columns in COLUMNS.items():
            for column in columns:
                op.alter_column(table, column, type_=NUMERIC_28_10, existing_type=sa.Numeric())
