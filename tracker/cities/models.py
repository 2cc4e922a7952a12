"""Networks of cities, cities (and their parent areas) and memberships."""

from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from tracker.locking import Versioned
from tracker.timeutil import utcnow

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
REF_AREA_PATTERN = r"^[A-Z0-9_]*$"  # an SDMX code (M49 "710", or a national code), or none
MAX_ALTERNATIVE_NAMES = 20


class NetworkBase(SQLModel):
    """Fields shared by every form of a network."""

    slug: str = Field(max_length=60, regex=SLUG_PATTERN)
    name: str = Field(min_length=2, max_length=200)
    description: str = Field(default="", max_length=2000)
    website: str = Field(default="", max_length=300)


class NetworkCreate(NetworkBase):
    """What a caller gives to create a network (validated)."""


class Network(NetworkBase, Versioned, table=True):
    """A network of cities with its secretariat (GCoM, ICLEI South Asia, UCLG …)."""

    __tablename__ = "networks"
    __table_args__ = (UniqueConstraint("slug"),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    memberships: list["NetworkMembership"] = Relationship(back_populates="network")


class NetworkPublic(NetworkBase):
    """A network as the API shows it."""

    city_count: int


class CityBase(SQLModel):
    """Fields shared by every form of a city."""

    slug: str = Field(max_length=60, regex=SLUG_PATTERN)
    name: str = Field(min_length=2, max_length=200)
    country_code: str = Field(min_length=2, max_length=2, regex=r"^[A-Z]{2}$")
    level: str = Field(default="city", max_length=40)
    population: int | None = Field(default=None, ge=0)
    population_year: int | None = Field(default=None, ge=1800, le=2200)
    population_source: str = Field(default="", max_length=300)
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    website: str = Field(default="", max_length=300)
    description: str = Field(default="", max_length=4000)
    is_published: bool = Field(default=False)
    ref_area_code: str = Field(default="", max_length=40, regex=REF_AREA_PATTERN)  # SDMX REF_AREA
    # Names other publishers use for the city (CDP calls eThekwini's account "Durban").
    alternative_names: list[str] = Field(default_factory=list,
                                         sa_column=Column(JSON, nullable=False))


class CityCreate(CityBase):
    """What a caller gives to create a city (validated)."""

    parent_id: int | None = None

    @field_validator("alternative_names")
    @classmethod
    def check_alternative_names(cls, names: list[str]) -> list[str]:
        """Keep each name once (ignoring case), trimmed; refuse over-long names or lists."""
        kept: dict[str, str] = {}
        for name in (n.strip() for n in names):
            if len(name) > 200:
                raise ValueError(f"the alternative name {name[:40]!r}… is over 200 characters")
            if name:
                kept.setdefault(name.casefold(), name)
        if len(kept) > MAX_ALTERNATIVE_NAMES:
            raise ValueError(f"give at most {MAX_ALTERNATIVE_NAMES} alternative names")
        return list(kept.values())


class City(CityBase, Versioned, table=True):
    """A city, or a district or sub-district area, that localises the SDGs."""

    __tablename__ = "cities"
    __table_args__ = (UniqueConstraint("slug"),)

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("cities.id"), nullable=True, index=True),
    )
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    parent: "City" = Relationship(sa_relationship_kwargs={"remote_side": "City.id"})
    memberships: list["NetworkMembership"] = Relationship(back_populates="city")


class CityPublic(CityBase):
    """A city as the API shows it."""

    parent: str | None
    networks: list[str]


class NetworkMembership(SQLModel, table=True):
    """A city's membership of a network."""

    __tablename__ = "network_memberships"
    __table_args__ = (UniqueConstraint("network_id", "city_id"),)

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="networks.id", index=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    joined_on: date | None = None
    note: str = Field(default="", max_length=500)
    network: Network = Relationship(back_populates="memberships")
    city: City = Relationship(back_populates="memberships")
