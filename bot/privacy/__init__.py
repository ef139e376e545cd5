"""Privacy helpers: mask identifiers in text before anything is stored or logged."""

from bot.privacy.fodselsnummer import is_valid_fodselsnummer
from bot.privacy.redact import (
    ACCOUNT_TOKEN,
    EMAIL_TOKEN,
    FODSELSNUMMER_TOKEN,
    LONG_NUMBER_TOKEN,
    NAME_TOKEN,
    PHONE_TOKEN,
    redact,
)

__all__ = [
    "ACCOUNT_TOKEN",
    "EMAIL_TOKEN",
    "FODSELSNUMMER_TOKEN",
    "LONG_NUMBER_TOKEN",
    "NAME_TOKEN",
    "PHONE_TOKEN",
    "is_valid_fodselsnummer",
    "redact",
]
