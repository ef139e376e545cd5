"""Validation of Norwegian national identity numbers: fødselsnummer, D-nummer and H-nummer.

Layout (11 digits): DDMMYY III K1 K2 — birth date, individual number, two mod-11 control digits.
- D-nummer: 4 is added to the first digit (day 41–71).
- H-nummer (hjelpenummer): 4 is added to the third digit (month 41–52).

Control digits, from Skatteetaten, "Nytt fødselsnummer fra 2032" (Folkeregisteret API documentation,
https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/nytt-fodselsnummer-fra-2032/, source
Skatteetaten/folkeregisteret-api-dokumentasjon, src/om-tjenestene/nyttfnr2032.md) and the reference validator
Skatteetaten publishes next to it (docs/dokumenter/foedselsEllerDNummerValidator/):
- k1 weights 3 7 6 1 8 9 4 5 2; k2 weights 5 4 3 2 7 6 5 4 3 2 (k2 also weighs k1).
- Until 2031: k1 = 11 - (sum1 mod 11), i.e. the remainder of (sum1 + k1) mod 11 must be 0.
- Numbers issued from 1 January 2032: k1 = {11, 12, 13, 14} - (sum1 mod 11), reduced by 11 when above 10, so the
  remainder (sum1 + k1) mod 11 may be 0, 1, 2 or 3. A value of 10 is never a digit, so it is rejected as before.
- k2 is unchanged: (sum2 + k2) mod 11 must be 0.
Both rules are valid in parallel (old numbers are never reissued), and the number itself does not say which
rule applies, so by default both are accepted.
"""

from __future__ import annotations

import re

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_K1_REMAINDERS_1964 = frozenset({0})
_K1_REMAINDERS_2032 = frozenset({0, 1, 2, 3})

# Separators people put inside a number they type ("010190 12345", "010190-12345"); ignored when validating.
_SEPARATORS = re.compile(r"[\s.\-\u2013]")

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date_is_plausible(day: int, month: int, year: int) -> bool:
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        return False
    # The century cannot be read from a 2032-type number, so, like Skatteetaten's validator, 29 February is
    # accepted when the two-digit year is divisible by 4 (00 counts as a leap year).
    return not (month == 2 and day == 29 and year % 4 != 0)


def _birth_date(digits: str) -> tuple[int, int, int]:
    """The calendar date encoded in the first six digits, with the D- and H-number offsets removed."""
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if day > 40:  # D-nummer
        day -= 40
    if month > 40:  # H-nummer
        month -= 40
    return day, month, year


def _control_digits_ok(numbers: list[int], k1_remainders: frozenset[int]) -> bool:
    # Adding the control digit itself (weight 1) turns "k = 11 - (sum mod 11)" into "remainder is 0".
    sum1 = sum(w * d for w, d in zip(_K1_WEIGHTS, numbers[:9], strict=True)) + numbers[9]
    if sum1 % 11 not in k1_remainders:
        return False
    sum2 = sum(w * d for w, d in zip(_K2_WEIGHTS, numbers[:10], strict=True)) + numbers[10]
    return sum2 % 11 == 0


def is_valid_fodselsnummer(digits: str, *, allow_2032_rule: bool = True) -> bool:
    """True if `digits` is a well-formed fødselsnummer, D-nummer or H-nummer.

    Spaces, dots and hyphens are ignored ("010190 12345"). Checks the birth date (after the D/H offsets) and
    both control digits. With `allow_2032_rule=False` only numbers valid under the pre-2032 rule pass.
    Skatteetaten's synthetic test numbers (month + 80) are not real numbers and are rejected.
    """
    compact = _SEPARATORS.sub("", digits)
    if len(compact) != 11 or not compact.isdecimal():
        return False
    if not _date_is_plausible(*_birth_date(compact)):
        return False
    remainders = _K1_REMAINDERS_2032 if allow_2032_rule else _K1_REMAINDERS_1964
    return _control_digits_ok([int(c) for c in compact], remainders)
