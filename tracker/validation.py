"""Turn pydantic validation errors into messages a person can act on, per field."""

from pydantic import ValidationError


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """Map each field (or "" for whole-record rules) to its messages."""
    found: dict[str, list[str]] = {}
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        found.setdefault(field, []).append(message)
    return found


def describe(error: ValidationError) -> str:
    """Return all messages on one line, each naming its field."""
    return "; ".join(f"{field}: {'; '.join(msgs)}" if field else "; ".join(msgs)
                     for field, msgs in field_errors(error).items())
