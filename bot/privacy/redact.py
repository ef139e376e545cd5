"""Mask identifiers in free text before it is stored or logged.

What is masked, and what is deliberately kept:
- e-mail addresses → "[e-post]".
- runs of 12 or more digits (card numbers, long references) → "[nummer]".
- any run of exactly 11 digits, valid or not, and 6+5 digits with one separator ("010190 12345",
  "010190-12345") → "[fødselsnummer]". Other groupings of 11 digits ("01 01 90 123 45") are masked only when
  they pass the fødselsnummer/D-nummer/H-nummer check, so ordinary numbers next to each other survive.
- bank account numbers written 4.2.5 ("1234.56.78903", "1234 56 78903") → "[kontonummer]".
- Norwegian phone numbers: 8 digits, optionally after +47, 0047 or (+47), written "22334455", "22 33 44 55",
  "223 34 455" (spaces, dots or hyphens). Without a prefix the first digit must be 2–9, as in every Norwegian
  8-digit number, so "12032024" is kept; an 8-digit date starting with 2–9 ("31122023") becomes "[telefon]".
- names the caller found (spaCy NER, label PER) → "[navn]": whole word, case-sensitive, longest first; the
  Norwegian genitive s is kept outside the mask ("Karis" → "[navn]s"). A backstop, not a guarantee.
- Kept: the assistant's own helpline numbers passed in `keep_numbers` (in any spacing, also with +47), years
  ("2024"), ages ("83 år"), dates ("12.03.2024", "120324"), prices ("kr 1 200", "kr 12 000 000"), short numbers
  and 9–10 digit runs (organisasjonsnummer is not personal data).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.privacy.fodselsnummer import is_valid_fodselsnummer

EMAIL_TOKEN = "[e-post]"
PHONE_TOKEN = "[telefon]"
FODSELSNUMMER_TOKEN = "[fødselsnummer]"
ACCOUNT_TOKEN = "[kontonummer]"
LONG_NUMBER_TOKEN = "[nummer]"
NAME_TOKEN = "[navn]"

# Masks go in as single private-use characters and become tokens at the very end. They hold no digits or word
# characters, so a later pass cannot match inside an earlier mask (a person called "post" must not hit
# "[e-post]"), and kept helplines are hidden from the number passes the same way.
_KEEP_MARK = "\ue000"
_MARKS = {
    "\ue001": EMAIL_TOKEN,
    "\ue002": PHONE_TOKEN,
    "\ue003": FODSELSNUMMER_TOKEN,
    "\ue004": ACCOUNT_TOKEN,
    "\ue005": LONG_NUMBER_TOKEN,
    "\ue006": NAME_TOKEN,
}
_EMAIL, _PHONE, _FNR, _ACCOUNT, _LONG, _NAME = _MARKS
_STRIP_MARKS = {ord(c): None for c in (_KEEP_MARK, *_MARKS)}
_UNMARK = re.compile("[" + "".join(_MARKS) + "]")
_KEEP_MARK_RE = re.compile(_KEEP_MARK)
# What every masking pass (and the mark stripping) needs at least one of: a digit (the same Unicode \d as the
# number passes), "@" (e-mail) or one of our marks. Without any, only a person name can change the text.
_MAYBE_MASKED_RE = re.compile("[\\d@" + _KEEP_MARK + "".join(_MARKS) + "]")

_SPACE = r"[ \u00a0\u202f]"  # space, no-break space, narrow no-break space
_SEP = r"[ \u00a0\u202f.\-]"  # what people put between digit groups
_FNR_SEP = r"[ \u00a0\u202f.\-\u2013]"  # between the 6 and the 5 of a fødselsnummer (also en dash)
_PREFIX_47 = rf"(?:\(\+47\)|\+47|0047){_SPACE}?"

_ANY_DIGIT_RE = re.compile(r"\d")
_COUNTRY_PREFIX_RE = re.compile(r"^\s*(?:\(\+47\)|\+47|0047)")
_EMAIL_RE = re.compile(r"(?<![\w.+\-%])[\w.+\-%]+@[\w\-]+(?:\.[\w\-]+)+")
_PHONE_PREFIXED_RE = re.compile(
    rf"(?<![\w+]){_PREFIX_47}(?:\d{{8}}|\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}|\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{3}})(?!\d)"
)
_LONG_RUN_RE = re.compile(r"(?<!\d)\d{12,}(?!\d)")
_FNR_CONTIGUOUS_RE = re.compile(r"(?<!\d)\d{11}(?!\d)")
_FNR_6_5_RE = re.compile(rf"(?<!\d)\d{{6}}{_FNR_SEP}\d{{5}}(?!\d)")
_ACCOUNT_RE = re.compile(r"(?<!\d)\d{4}([ \u00a0.])\d{2}\1\d{5}(?!\d)")
# Zero-width so that every group start is tried, overlapping ones included; the group holds the candidate.
_FNR_GROUPED_RE = re.compile(rf"(?=\d)(?<!\d)(?=(\d(?:{_SEP}?\d){{10}})(?!\d))")
_PHONE_RE = re.compile(
    rf"(?<!\d)(?:[2-9]\d{{7}}|[2-9]\d{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}|[2-9]\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}})(?!\d)"
)


@lru_cache(maxsize=32)
def _keep_pattern(numbers: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern for the helpline numbers in any spacing; None when there are none."""
    alternatives = []
    for digits in numbers:
        body = f"{_SEP}?".join(digits)
        alternatives.append(f"(?:{_PREFIX_47})?{body}" if len(digits) == 8 else body)
    if not alternatives:
        return None
    # A helpline joined to more digits by one separator ("01 01 90 113 45") is part of something else: not kept.
    # The leading lookahead is only for speed: it rejects most positions before the lookbehinds run.
    return re.compile(rf"(?=[\d+(])(?<![\d+])(?<!\d{_SEP})(?:{'|'.join(alternatives)})(?!{_SEP}?\d)")


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in names)
    # Whole word; a trailing genitive s ("Karis", "Kari's") may follow and stays outside the mask.
    return re.compile(rf"(?<!\w)(?:{alternatives})(?=(?:s|['’]s?)?(?!\w))")


@lru_cache(maxsize=32)
def _normalise_numbers(keep_numbers: tuple[str, ...]) -> tuple[str, ...]:
    # Digits only; a country prefix given with the number is dropped, the pattern adds it back as optional.
    # Cached: the store passes the same helplines for every string it redacts (most of redact's time before).
    digits = {"".join(c for c in _COUNTRY_PREFIX_RE.sub("", n) if c.isdecimal()) for n in keep_numbers}
    return tuple(sorted((d for d in digits if d), key=lambda d: (-len(d), d)))


def _normalise_names(person_names: Iterable[str]) -> tuple[str, ...]:
    names = {n.strip() for n in person_names}
    # Longest first, so "Kari Nordmann" is masked whole before "Kari" is tried.
    return tuple(sorted((n for n in names if len(n) >= 2), key=lambda n: (-len(n), n)))


def _mask_grouped_fodselsnummer(text: str) -> str:
    parts: list[str] = []
    done = 0
    for match in _FNR_GROUPED_RE.finditer(text):
        start, end = match.span(1)
        if start >= done and is_valid_fodselsnummer(match.group(1)):
            parts += [text[done:start], _FNR]
            done = end
    parts.append(text[done:])
    return "".join(parts)


def redact(text: str, person_names: Iterable[str] = (), keep_numbers: Iterable[str] = ()) -> str:
    """Return `text` with e-mail addresses, phone numbers, national identity numbers, account numbers, long
    digit runs and the given person names replaced by tokens such as "[telefon]".

    `person_names`: names to mask (from NER). `keep_numbers`: the assistant's own helpline numbers, as written
    in content/helplines.yml; they are left as they are, in whatever spacing the text uses.
    """
    names = _normalise_names(person_names)
    if not _MAYBE_MASKED_RE.search(text) and not any(name in text for name in names):
        # Nothing any pass below could match (most strings of an event: intent names, entity types, short
        # replies): the full path would return the text unchanged, so skip it.
        return text
    return _redact(text, names, tuple(keep_numbers))


def _redact(text: str, names: tuple[str, ...], keep_numbers: tuple[str, ...]) -> str:
    """The full redaction; `names` already normalised (_normalise_names)."""
    text = text.translate(_STRIP_MARKS)

    kept: list[str] = []
    keep_re = _keep_pattern(_normalise_numbers(keep_numbers))
    if keep_re is not None:

        def _hide(match: re.Match[str]) -> str:
            kept.append(match.group(0))
            return _KEEP_MARK

        text = keep_re.sub(_hide, text)

    # Order matters: e-mail addresses hold digits; a prefixed phone number written "004722334455" is 12 digits;
    # identity numbers go before phone numbers so that no 8-digit part of one is taken for a phone number.
    if "@" in text:
        text = _EMAIL_RE.sub(_EMAIL, text)
    if _ANY_DIGIT_RE.search(text):  # most messages have no digits at all
        text = _PHONE_PREFIXED_RE.sub(_PHONE, text)
        text = _LONG_RUN_RE.sub(_LONG, text)
        text = _FNR_CONTIGUOUS_RE.sub(_FNR, text)
        text = _FNR_6_5_RE.sub(_FNR, text)
        text = _ACCOUNT_RE.sub(_ACCOUNT, text)
        text = _mask_grouped_fodselsnummer(text)
        text = _PHONE_RE.sub(_PHONE, text)

    names_re = _names_pattern(names)
    if names_re is not None:
        text = names_re.sub(_NAME, text)

    text = _UNMARK.sub(lambda m: _MARKS[m.group(0)], text)
    if kept:
        # Marks are still in their original order: no pass moves text around.
        restore = iter(kept)
        text = _KEEP_MARK_RE.sub(lambda _: next(restore), text)
    return text
