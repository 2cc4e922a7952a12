"""People who sign in, and the one role each holds."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from tracker.cities.models import City, Network
from tracker.db import enum_type
from tracker.timeutil import utcnow


class Role(StrEnum):
    """What a user may do; officers hold a city, secretariats and reviewers a network."""

    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    OFFICER = "officer"
    REVIEWER = "reviewer"


class UserBase(SQLModel):
    """Fields shared by every form of a user."""

    email: str = Field(max_length=254)
    name: str = Field(default="", max_length=200)
    role: Role = Field(sa_type=enum_type(Role))


class User(UserBase, table=True):
    """A person with a login."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("email"),)

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=300)
    city_id: int | None = Field(default=None, foreign_key="cities.id", index=True)
    network_id: int | None = Field(default=None, foreign_key="networks.id", index=True)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    # Stored in the session cookie at sign-in; moving it on (logout, password change,
    # disabling) ends every session signed in before.
    session_generation: int = Field(default=0)
    city: City | None = Relationship()
    network: Network | None = Relationship()

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        """Signed-in users are authenticated."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """A stored user is never anonymous."""
        return False

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session."""
        return str(self.id)


class ApiToken(SQLModel, table=True):
    """A personal API token: only its SHA-256 is stored; revoking keeps the row."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=12)  # shown so people can tell their tokens apart
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    expires_at: datetime | None = None  # None: valid until revoked
