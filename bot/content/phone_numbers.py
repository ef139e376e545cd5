"""Find phone numbers written in text, so content and responses can be checked against the verified list."""

from __future__ import annotations

import re

# Digit groups separated by single spaces (optionally with +47/0047), the way Norwegians write numbers.
_CANDIDATE = re.compile(r"(?<![\d.,§-])(?:(?:\+|00)47[ ]?)?\d{2,3}(?:[ ]\d{2,3}){0,3}(?![\d.,]\d)")
_EMERGENCY = {"110", "112", "113"}


def normalise_number(number: str) -> str:
    """Digits only, without a +47/0047 country prefix."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 10 and digits.startswith("47"):
        return digits[2:]
    if len(digits) == 12 and digits.startswith("0047"):
        return digits[4:]
    return digits


def _looks_like_phone(digits: str) -> bool:
    # 8 digits is an ordinary Norwegian number; 116xxx are the harmonised European service numbers.
    return len(digits) == 8 or digits in _EMERGENCY or (len(digits) == 6 and digits.startswith("116"))


def find_phone_numbers(text: str) -> list[str]:
    """Phone numbers in `text`, normalised to digits, in order of appearance."""
    found: list[str] = []
    for match in _CANDIDATE.finditer(text):
        digits = normalise_number(match.group(0))
        if _looks_like_phone(digits):
            found.append(digits)
    return found
