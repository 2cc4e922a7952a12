"""Add climate tables

Revision ID: a56bc1c670cd
Revises: b5de97db0e37
Create Date: 2026-11-23 23:20:34.268665
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel types)
from alembic import op

from tracker.db import ExactDecimal


revision: str = 'a56bc1c670cd'
down_revision: str | None = 'b5de97db0e37'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('adaptive_capacities',
    sa.Column('factor', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('rating', sa.Enum('high', 'moderate', 'low', 'unknown', name='level', native_enum=False, length=40), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_adaptive_capacities_city_id_cities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adaptive_capacities')),
    sa.UniqueConstraint('city_id', 'factor', name=op.f('uq_adaptive_capacities_city_id_factor'))
    )
    with op.batch_alter_table('adaptive_capacities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adaptive_capacities_city_id'), ['city_id'], unique=False)

    op.create_table('climate_actions',
    sa.Column('kind', sa.Enum('mitigation', 'adaptation', name='actionkind', native_enum=False, length=40), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('sector', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'completed', name='actionstatus', native_enum=False, length=40), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=True),
    sa.Column('end_year', sa.Integer(), nullable=True),
    sa.Column('total_cost', ExactDecimal(), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('funding_source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('finance_status', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('expected_reduction_tco2e', ExactDecimal(), nullable=True),
    sa.Column('responsible_body', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_climate_actions_city_id_cities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_climate_actions'))
    )
    with op.batch_alter_table('climate_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_climate_actions_city_id'), ['city_id'], unique=False)

    op.create_table('climate_hazards',
    sa.Column('hazard', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('current_probability', sa.Enum('high', 'moderate', 'low', 'unknown', name='level', native_enum=False, length=40), nullable=False),
    sa.Column('current_consequence', sa.Enum('high', 'moderate', 'low', 'unknown', name='level', native_enum=False, length=40), nullable=False),
    sa.Column('future_intensity', sa.Enum('increase', 'decrease', 'no_change', 'unknown', name='change', native_enum=False, length=40), nullable=False),
    sa.Column('future_frequency', sa.Enum('increase', 'decrease', 'no_change', 'unknown', name='change', native_enum=False, length=40), nullable=False),
    sa.Column('timeframe', sa.Enum('immediately', 'short_term', 'medium_term', 'long_term', name='timeframe', native_enum=False, length=40), nullable=True),
    sa.Column('affected_sectors', sa.JSON(), nullable=False),
    sa.Column('vulnerable_groups', sa.JSON(), nullable=False),
    sa.Column('impact_description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_climate_hazards_city_id_cities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_climate_hazards')),
    sa.UniqueConstraint('city_id', 'hazard', name=op.f('uq_climate_hazards_city_id_hazard'))
    )
    with op.batch_alter_table('climate_hazards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_climate_hazards_city_id'), ['city_id'], unique=False)

    op.create_table('climate_profiles',
    sa.Column('commitment_date', sa.Date(), nullable=True),
    sa.Column('cdp_account_number', sa.Integer(), nullable=True),
    sa.Column('regional_covenant', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_climate_profiles_city_id_cities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_climate_profiles')),
    sa.UniqueConstraint('cdp_account_number', name=op.f('uq_climate_profiles_cdp_account_number')),
    sa.UniqueConstraint('city_id', name=op.f('uq_climate_profiles_city_id'))
    )
    op.create_table('ghg_inventories',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('boundary', sa.Enum('same', 'smaller', 'larger', 'other', name='boundary', native_enum=False, length=40), nullable=False),
    sa.Column('boundary_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('protocol', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('gwp', sa.Enum('AR4', 'AR5', 'AR6', 'other', name='gwp', native_enum=False, length=40), nullable=False),
    sa.Column('gwp_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('gases', sa.JSON(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('population_year', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'final', 'verified', name='inventorystatus', native_enum=False, length=40), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('reported_scope1', ExactDecimal(), nullable=True),
    sa.Column('reported_scope2', ExactDecimal(), nullable=True),
    sa.Column('reported_scope3', ExactDecimal(), nullable=True),
    sa.Column('reported_basic', ExactDecimal(), nullable=True),
    sa.Column('reported_basic_plus', ExactDecimal(), nullable=True),
    sa.Column('reported_generation', ExactDecimal(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_ghg_inventories_city_id_cities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ghg_inventories')),
    sa.UniqueConstraint('city_id', 'year', name=op.f('uq_ghg_inventories_city_id_year'))
    )
    with op.batch_alter_table('ghg_inventories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ghg_inventories_city_id'), ['city_id'], unique=False)

    op.create_table('mitigation_targets',
    sa.Column('kind', sa.Enum('base_year', 'fixed_level', 'base_year_intensity', 'baseline_scenario', name='targetkind', native_enum=False, length=40), nullable=False),
    sa.Column('base_year', sa.Integer(), nullable=True),
    sa.Column('base_year_emissions', ExactDecimal(), nullable=True),
    sa.Column('base_year_intensity', ExactDecimal(), nullable=True),
    sa.Column('intensity_unit', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('target_year', sa.Integer(), nullable=False),
    sa.Column('reduction_percent', ExactDecimal(), nullable=True),
    sa.Column('target_year_emissions', ExactDecimal(), nullable=True),
    sa.Column('bau_emissions', ExactDecimal(), nullable=True),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('gases', sa.JSON(), nullable=False),
    sa.Column('boundary', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('year_set', sa.Integer(), nullable=True),
    sa.Column('reported_percent_achieved', ExactDecimal(), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_mitigation_targets_city_id_cities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mitigation_targets'))
    )
    with op.batch_alter_table('mitigation_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mitigation_targets_city_id'), ['city_id'], unique=False)

    op.create_table('adaptation_goals',
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('base_year', sa.Integer(), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('progress_percent', ExactDecimal(), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_adaptation_goals_city_id_cities')),
    sa.ForeignKeyConstraint(['hazard_id'], ['climate_hazards.id'], name=op.f('fk_adaptation_goals_hazard_id_climate_hazards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adaptation_goals'))
    )
    with op.batch_alter_table('adaptation_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adaptation_goals_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adaptation_goals_hazard_id'), ['hazard_id'], unique=False)

    op.create_table('climate_action_hazards',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['climate_actions.id'], name=op.f('fk_climate_action_hazards_action_id_climate_actions')),
    sa.ForeignKeyConstraint(['hazard_id'], ['climate_hazards.id'], name=op.f('fk_climate_action_hazards_hazard_id_climate_hazards')),
    sa.PrimaryKeyConstraint('action_id', 'hazard_id', name=op.f('pk_climate_action_hazards'))
    )
    with op.batch_alter_table('climate_action_hazards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_climate_action_hazards_hazard_id'), ['hazard_id'], unique=False)

    op.create_table('climate_action_targets',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['climate_actions.id'], name=op.f('fk_climate_action_targets_action_id_climate_actions')),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], name=op.f('fk_climate_action_targets_target_id_targets')),
    sa.PrimaryKeyConstraint('action_id', 'target_id', name=op.f('pk_climate_action_targets'))
    )
    with op.batch_alter_table('climate_action_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_climate_action_targets_target_id'), ['target_id'], unique=False)

    op.create_table('inventory_cells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inventory_id', sa.Integer(), nullable=False),
    sa.Column('row_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('value', ExactDecimal(), nullable=True),
    sa.Column('notation_key', sa.Enum('NO', 'IE', 'NE', 'C', name='notationkey', native_enum=False, length=40), nullable=True),
    sa.Column('explanation', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.CheckConstraint('scope BETWEEN 1 AND 3', name=op.f('ck_inventory_cells_scope_range')),
    sa.CheckConstraint('value IS NULL OR notation_key IS NULL', name=op.f('ck_inventory_cells_value_or_key')),
    sa.ForeignKeyConstraint(['inventory_id'], ['ghg_inventories.id'], name=op.f('fk_inventory_cells_inventory_id_ghg_inventories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_cells')),
    sa.UniqueConstraint('inventory_id', 'row_code', 'scope', name=op.f('uq_inventory_cells_inventory_id_row_code_scope'))
    )
    with op.batch_alter_table('inventory_cells', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_cells_inventory_id'), ['inventory_id'], unique=False)

    op.create_table('past_hazard_events',
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('deaths', sa.Integer(), nullable=True),
    sa.Column('people_affected', sa.Integer(), nullable=True),
    sa.Column('economic_loss', ExactDecimal(), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hazard_id'], ['climate_hazards.id'], name=op.f('fk_past_hazard_events_hazard_id_climate_hazards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_past_hazard_events'))
    )
    with op.batch_alter_table('past_hazard_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_past_hazard_events_hazard_id'), ['hazard_id'], unique=False)

    op.create_table('climate_action_elements',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('element_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['climate_actions.id'], name=op.f('fk_climate_action_elements_action_id_climate_actions')),
    sa.ForeignKeyConstraint(['element_id'], ['plan_elements.id'], name=op.f('fk_climate_action_elements_element_id_plan_elements')),
    sa.PrimaryKeyConstraint('action_id', 'element_id', name=op.f('pk_climate_action_elements'))
    )
    with op.batch_alter_table('climate_action_elements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_climate_action_elements_element_id'), ['element_id'], unique=False)



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('climate_action_elements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_climate_action_elements_element_id'))

    op.drop_table('climate_action_elements')
    with op.batch_alter_table('past_hazard_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_past_hazard_events_hazard_id'))

    op.drop_table('past_hazard_events')
    with op.batch_alter_table('inventory_cells', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_cells_inventory_id'))

    op.drop_table('inventory_cells')
    with op.batch_alter_table('climate_action_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_climate_action_targets_target_id'))

    op.drop_table('climate_action_targets')
    with op.batch_alter_table('climate_action_hazards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_climate_action_hazards_hazard_id'))

    op.drop_table('climate_action_hazards')
    with op.batch_alter_table('adaptation_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adaptation_goals_hazard_id'))
        batch_op.drop_index(batch_op.f('ix_adaptation_goals_city_id'))

    op.drop_table('adaptation_goals')
    with op.batch_alter_table('mitigation_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mitigation_targets_city_id'))

    op.drop_table('mitigation_targets')
    with op.batch_alter_table('ghg_inventories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ghg_inventories_city_id'))

    op.drop_table('ghg_inventories')
    op.drop_table('climate_profiles')
    with op.batch_alter_table('climate_hazards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_climate_hazards_city_id'))

    op.drop_table('climate_hazards')
    with op.batch_alter_table('climate_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_climate_actions_city_id'))

    op.drop_table('climate_actions')
    with op.batch_alter_table('adaptive_capacities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adaptive_capacities_city_id'))

    op.drop_table('adaptive_capacities')
