"""Import every table model so SQLModel.metadata knows the whole schema (Alembic, tests)."""

from tracker import db as _db  # noqa: F401  (sets the naming convention first)
from tracker.audit.models import AuditEvent  # noqa: F401
from tracker.auth.models import ApiToken, User  # noqa: F401
from tracker.catalogue.models import (  # noqa: F401
    FrameworkRevision,
    Goal,
    IndicatorTitleChange,
    SdgIndicator,
    Target,
)
from tracker.cities.models import City, Network, NetworkMembership  # noqa: F401
from tracker.climate.models import (  # noqa: F401
    AdaptationGoal,
    AdaptiveCapacity,
    ClimateAction,
    ClimateActionElement,
    ClimateActionHazard,
    ClimateActionTarget,
    ClimateProfile,
    GhgInventory,
    Hazard,
    InventoryCell,
    MitigationTarget,
    PastHazardEvent,
)
from tracker.compare.models import ReviewerNote  # noqa: F401
from tracker.data.import_job_models import ImportJob  # noqa: F401
from tracker.data.models import (  # noqa: F401
    EvidenceFile,
    Observation,
    ObservationChange,
    ReportingWindow,
)
from tracker.indicators.models import (  # noqa: F401
    IndicatorAlignment,
    IndicatorDimension,
    IndicatorElementLink,
    IndicatorTarget,
    LocalIndicator,
)
from tracker.plans.models import ElementAlignment, Plan, PlanElement  # noqa: F401
from tracker.progress.stored_models import (  # noqa: F401
    ProgressVersion,
    StoredCityProgress,
    StoredIndicatorProgress,
)
from tracker.reports.models import ReportRun  # noqa: F401
