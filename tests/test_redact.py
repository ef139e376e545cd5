"""Tests for bot.privacy: fødselsnummer validation and redaction of identifiers."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
import yaml

from bot.privacy import is_valid_fodselsnummer, redact
from bot.privacy.redact import _MAYBE_MASKED_RE, _normalise_names, _redact

# The project's copy of the verified list (tests/test_content_validation.py checks it equals ../shared/facts).
HELPLINES_FILE = Path(__file__).resolve().parents[1] / "content" / "helplines.yml"
# Every other phone number and fødselsnummer in this file is made-up test data, never shown to users.
HELPLINE_NUMBERS = [entry["number"] for entry in yaml.safe_load(HELPLINES_FILE.read_text(encoding="utf-8"))]

# --- An independent implementation of the control digits, written from Skatteetaten's formula -----------------
# Source: Skatteetaten, "Nytt fødselsnummer fra 2032",
# https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/nytt-fodselsnummer-fra-2032/
# k1 = {11, 12, 13, 14} - (sum1 mod 11), minus 11 when above 10, discarded when 10 (old rule: only 11);
# k2 = 11 - (sum2 mod 11), 11 becomes 0, discarded when 10.
K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def control_digit_pairs(nine: str, *, rule_2032: bool = True) -> set[str]:
    digits = [int(c) for c in nine]
    rest1 = sum(w * d for w, d in zip(K1, digits, strict=True)) % 11
    pairs = set()
    for base in (11, 12, 13, 14) if rule_2032 else (11,):
        k1 = base - rest1
        if k1 > 10:
            k1 -= 11
        if k1 == 10:
            continue
        k2 = 11 - sum(w * d for w, d in zip(K2, [*digits, k1], strict=True)) % 11
        if k2 == 11:
            k2 = 0
        if k2 != 10:
            pairs.add(f"{k1}{k2}")
    return pairs


def a_valid_number(nine: str) -> str:
    pairs = sorted(control_digit_pairs(nine, rule_2032=False))
    assert pairs, f"no pre-2032 control digits for {nine}; pick another base"
    return nine + pairs[0]


# --- is_valid_fodselsnummer ---------------------------------------------------------------------------------


# Skatteetaten's own test vectors, published with its reference validator:
# Skatteetaten/folkeregisteret-api-dokumentasjon, docs/dokumenter/foedselsEllerDNummerValidator/foedselsnummer.csv
@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("30108299939", True),  # reelt 2032-nummer
        ("20036914700", True),  # reelt 1964-nummer
        ("20036914712", False),  # reelt 1964-nummer, wrong control digits
        ("29020073150", True),  # 29 February in a leap year
        ("29020105729", False),  # 29 February in a non-leap year
        ("55102499947", True),  # reelt 2032-D-nummer
    ],
)
def test_skatteetaten_test_vectors(number: str, valid: bool) -> None:
    assert is_valid_fodselsnummer(number) is valid


@pytest.mark.parametrize("number", ["30908299902", "03851598730", "41819077906", "41819077302"])
def test_skatteetaten_synthetic_numbers_are_not_real_numbers(number: str) -> None:
    # Synthetic test identities (month + 80) are valid only as synthetic numbers; this module checks real ones.
    assert not is_valid_fodselsnummer(number)


# Worked examples in Skatteetaten's "Nytt fødselsnummer fra 2032" page.
@pytest.mark.parametrize(
    ("number", "valid_before_2032"),
    [
        ("02013299997", True),  # born 02.01.2032, k1 = 11 - 2 = 9
        ("02013299903", False),  # the "next free number" with 999: k1 = 13 - 2 - 11 = 0
        ("02013299806", True),  # alternative next number with individual number 998
        ("30108299920", True),  # born 30.10.1982, given a number in 2032, k1 = 11 - 9 = 2
        ("30108299939", False),  # second person that date, k1 = 12 - 9 = 3
    ],
)
def test_2032_rule_examples(number: str, valid_before_2032: bool) -> None:
    assert is_valid_fodselsnummer(number)
    assert is_valid_fodselsnummer(number, allow_2032_rule=False) is valid_before_2032


def test_hand_verified_numbers() -> None:
    # fnrinfo.no's worked example: 311299567 → sum1 241, rest 10, k1 1; sum2 215, rest 6, k2 5.
    assert is_valid_fodselsnummer("31129956715")
    # H-nummer worked by hand: 01 41 90 123 (month 01 + 40).
    # sum1 = 0*3+1*7+4*6+1*1+9*8+0*9+1*4+2*5+3*2 = 124, 124 mod 11 = 3, k1 = 8;
    # sum2 = 0*5+1*4+4*3+1*2+9*7+0*6+1*5+2*4+3*3+8*2 = 119, 119 mod 11 = 9, k2 = 2.
    assert is_valid_fodselsnummer("01419012382")
    # The same digits read as a D-nummer (day + 40) need other control digits.
    assert not is_valid_fodselsnummer("41019012382")


@pytest.mark.parametrize(
    "nine",
    [
        "311299567",  # ordinary fødselsnummer
        "010190113",
        "290200731",  # leap day
        "711299567",  # D-nummer: 31 + 40
        "414190123",  # D-nummer of an H-date is still a plausible date
        "015190123",  # H-nummer: December + 40
        "301082999",  # 2032-type issue for an older birth date
        "020132999",
    ],
)
def test_exactly_the_generated_control_digits_are_accepted(nine: str) -> None:
    expected = control_digit_pairs(nine)
    accepted = {f"{k:02d}" for k in range(100) if is_valid_fodselsnummer(f"{nine}{k:02d}")}
    assert accepted == expected
    old = control_digit_pairs(nine, rule_2032=False)
    assert {f"{k:02d}" for k in range(100) if is_valid_fodselsnummer(f"{nine}{k:02d}", allow_2032_rule=False)} == old
    assert old <= expected


@pytest.mark.parametrize(
    "nine",
    [
        "321299567",  # day 32
        "001299567",  # day 0
        "011399567",  # month 13
        "013099567",  # month 30: neither a month nor an H-month
        "015390123",  # H-month 53
        "811299567",  # day 41 + 40: too large even for a D-nummer
        "300299567",  # 30 February
    ],
)
def test_impossible_dates_are_rejected_whatever_the_control_digits(nine: str) -> None:
    assert not any(is_valid_fodselsnummer(f"{nine}{k:02d}") for k in range(100))


@pytest.mark.parametrize("text", ["", "3010829993", "301082999399", "3010829993x", "abcdefghijk", "00000000000"])
def test_malformed_input(text: str) -> None:
    assert not is_valid_fodselsnummer(text)


def test_separators_are_ignored_when_validating() -> None:
    assert is_valid_fodselsnummer("301082 99939")
    assert is_valid_fodselsnummer("301082-99939")
    assert not is_valid_fodselsnummer("301082 99938")


# --- redact: identity numbers --------------------------------------------------------------------------------

VALID_FNR = "31129956715"


@pytest.mark.parametrize(
    "number",
    [
        VALID_FNR,
        "30108299939",  # 2032 rule
        "55102499947",  # D-nummer
        "01419012382",  # H-nummer
        "12345678901",  # invalid control digits: still masked
        "99999999999",  # not even a date: still masked
    ],
)
def test_any_eleven_digit_run_is_masked(number: str) -> None:
    assert redact(f"Fødselsnummeret mitt er {number}, takk.") == "Fødselsnummeret mitt er [fødselsnummer], takk."


@pytest.mark.parametrize("sep", [" ", "-", ".", "\u00a0", "\u2013"])
def test_six_plus_five_with_a_separator_is_masked_valid_or_not(sep: str) -> None:
    assert redact(f"fnr: 311299{sep}56715") == "fnr: [fødselsnummer]"
    assert redact(f"fnr: 123456{sep}78901") == "fnr: [fødselsnummer]"


def test_other_groupings_are_masked_when_valid() -> None:
    assert redact("Det er 31 12 99 567 15.") == "Det er [fødselsnummer]."
    assert redact("Nummer 30.10.82 999 39 her") == "Nummer [fødselsnummer] her"
    # Eleven digits in loose groups that are not a valid number are left alone (they may be anything).
    assert redact("Tallene 12 34 56 789 01") == "Tallene 12 34 56 789 01"
    # Two valid candidates overlapping in one chain of 12 digits: the leftmost is masked, once.
    assert is_valid_fodselsnummer("01010000048") and is_valid_fodselsnummer("10100000488")
    assert redact("0 1010000048 8") == "[fødselsnummer] 8"


def test_fodselsnummer_embedded_in_words_and_punctuation() -> None:
    assert redact(f"(fnr:{VALID_FNR})") == "(fnr:[fødselsnummer])"
    assert redact(f"fnr{VALID_FNR}.") == "fnr[fødselsnummer]."
    assert redact(f"{VALID_FNR}\n{VALID_FNR}") == "[fødselsnummer]\n[fødselsnummer]"


def test_twelve_or_more_digits_are_masked_as_a_number() -> None:
    # Decision: a longer run is not a fødselsnummer, but it may hide one (a typo) or be a card number.
    assert redact("Ref 123456789012 og kort 4925000000000004") == "Ref [nummer] og kort [nummer]"


def test_account_numbers() -> None:
    # Decision: the 4.2.5 form of a bank account is masked as such; written without separators it is an
    # 11-digit run and is masked like a fødselsnummer.
    assert redact("Konto 1234.56.78903 eller 1234 56 78903.") == "Konto [kontonummer] eller [kontonummer]."
    assert redact("Konto 12345678903") == "Konto [fødselsnummer]"


# --- redact: phone numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "22334455",
        "22 33 44 55",
        "223 34 455",
        "412 34 567",
        "41234567",
        "22-33-44-55",
        "22.33.44.55",
        "22\u00a033\u00a044\u00a055",
        "+47 22 33 44 55",
        "+4722334455",
        "+47 412 34 567",
        "0047 22 33 44 55",
        "004722334455",
        "(+47) 22334455",
    ],
)
def test_phone_numbers_are_masked(phone: str) -> None:
    assert redact(f"Ring meg på {phone}.") == "Ring meg på [telefon]."


def test_phone_number_next_to_a_year() -> None:
    assert redact("Siden 2024 22 33 44 55") == "Siden 2024 [telefon]"


@pytest.mark.parametrize("number", HELPLINE_NUMBERS)
def test_helplines_are_kept(number: str) -> None:
    text = f"Ring {number} hvis du trenger det."
    assert redact(text, keep_numbers=HELPLINE_NUMBERS) == text


def test_helplines_kept_in_other_spellings_and_among_other_numbers() -> None:
    text = "ring 113 eller 116 123, Kirkens SOS +47 22 40 00 40 / 22400040, min er 412 34 567"
    assert redact(text, keep_numbers=HELPLINE_NUMBERS) == (
        "ring 113 eller 116 123, Kirkens SOS +47 22 40 00 40 / 22400040, min er [telefon]"
    )


def test_helplines_given_with_a_country_prefix() -> None:
    assert redact("Ring 22 40 00 40", keep_numbers=["+47 22 40 00 40"]) == "Ring 22 40 00 40"
    assert redact("Ring +4722400040", keep_numbers=["0047 22400040"]) == "Ring +4722400040"


def test_helplines_are_kept_only_because_the_caller_says_so() -> None:
    # No number is hard-coded: without keep_numbers an 8-digit helpline looks like any phone number.
    assert redact("Ring 22 40 00 40") == "Ring [telefon]"
    assert redact("Ring 22 40 00 41", keep_numbers=HELPLINE_NUMBERS) == "Ring [telefon]"


def test_a_helpline_inside_a_longer_number_is_not_kept() -> None:
    fnr = a_valid_number("010190113")
    grouped = f"{fnr[:2]} {fnr[2:4]} {fnr[4:6]} {fnr[6:9]} {fnr[9:]}"  # "01 01 90 113 kk"
    assert redact(f"fnr {grouped}", keep_numbers=HELPLINE_NUMBERS) == "fnr [fødselsnummer]"
    assert redact("nr 11322334455", keep_numbers=HELPLINE_NUMBERS) == "nr [fødselsnummer]"
    # Joined on one side only. Both are valid H-/fødselsnummer (checked by the generator above): 21.09.49 as
    # H-nummer with individual number 213, and 01.07.x1 with individual number 161.
    assert "99" in control_digit_pairs("214949213", rule_2032=False)
    assert redact("nr 21 49 49 21 399", keep_numbers=HELPLINE_NUMBERS) == "nr [fødselsnummer]"
    assert "23" in control_digit_pairs("010721161", rule_2032=False)
    assert redact("nr 0107 2 116 123", keep_numbers=HELPLINE_NUMBERS) == "nr [fødselsnummer]"


# --- redact: e-mail and names --------------------------------------------------------------------------------


def test_email_addresses() -> None:
    text = "Skriv til kari.nordmann@firma.no. Eller ØYVIND+sorg@bergen.kommune.no, eller ola_99@eksempel.com!"
    assert redact(text) == "Skriv til [e-post]. Eller [e-post], eller [e-post]!"


def test_person_names() -> None:
    names = ["Kari", "Kari Nordmann", "Per"]
    assert redact("Kari Nordmann er syk. Kari er trøtt.", person_names=names) == "[navn] er syk. [navn] er trøtt."
    # Case-sensitive and whole word: "kari", "Karianne" and "Persen" are not the names given.
    assert redact("kari og Karianne Persen", person_names=names) == "kari og Karianne Persen"
    # The Norwegian genitive s stays outside the mask.
    assert redact("Karis mor og Per's bror", person_names=names) == "[navn]s mor og [navn]'s bror"
    assert redact("Anne-Lise kom", person_names=["Anne-Lise"]) == "[navn] kom"


def test_names_never_match_inside_tokens_or_addresses() -> None:
    assert redact("post: kari@post.no", person_names=["post", "kari"]) == "[navn]: [e-post]"


def test_names_from_a_generator_and_blank_names() -> None:
    assert redact("Ola kom", person_names=(n for n in ["Ola", "", " ", "O"])) == "[navn] kom"


# --- redact: what stays --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mor døde i 2024, hun ble 83 år.",
        "Dato: 12.03.2024, 12.03.24, 120324, 12032024 og 2024-03-12.",
        "Det koster kr 1 200, eller kr 12 000 000, eller 1.200.000 kroner.",
        "Åpent kl. 08:00–15:30, 0150 Oslo, rom 3, 5 av 10.",
        "Organisasjonsnummer 987654321 og referanse 1234567890.",
        "",
    ],
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert redact(text, keep_numbers=HELPLINE_NUMBERS) == text


def test_eight_digit_date_starting_with_2_to_9_is_taken_for_a_phone_number() -> None:
    # Decision: an 8-digit run that can be a Norwegian number is masked; a lost date is the cheaper mistake.
    assert redact("31122023") == "[telefon]"


# --- redact: whole messages ----------------------------------------------------------------------------------


MESSAGE = (
    "Hei, jeg heter Kari Nordmann, fnr 311299 56715. Ring meg på +47 412 34 567 eller skriv til "
    "kari@firma.no. Mor døde 12.03.2024, 83 år. Jeg har ringt 116 117 og 22 40 00 40."
)
REDACTED = (
    "Hei, jeg heter [navn], fnr [fødselsnummer]. Ring meg på [telefon] eller skriv til "
    "[e-post]. Mor døde 12.03.2024, 83 år. Jeg har ringt 116 117 og 22 40 00 40."
)


def test_a_whole_message() -> None:
    assert redact(MESSAGE, person_names=["Kari Nordmann"], keep_numbers=HELPLINE_NUMBERS) == REDACTED


def test_redacting_twice_changes_nothing_more() -> None:
    assert redact(REDACTED, person_names=["Kari Nordmann"], keep_numbers=HELPLINE_NUMBERS) == REDACTED


def test_private_use_characters_in_input_cannot_disturb_the_masks() -> None:
    assert redact("a\ue000b\ue003c 113", keep_numbers=["113"]) == "abc 113"


def test_it_is_fast() -> None:
    # A loose bound that only fails on a real regression (such as catastrophic backtracking).
    text = MESSAGE * 4
    start = time.perf_counter()
    for _ in range(500):
        redact(text, person_names=["Kari Nordmann"], keep_numbers=HELPLINE_NUMBERS)
    assert time.perf_counter() - start < 2.0


# --- redact: the quick path for strings with nothing to mask ---------------------------------------------------

# Made-up numbers, dates and addresses (test data, never shown to users), beside the real helplines from
# content/helplines.yml that must stay unmasked.
TRICKY_TEXTS = [
    MESSAGE,
    REDACTED,
    "Mor døde i 2024, hun ble 83 år.",
    "Dato: 12.03.2024, 12.03.24, 120324, 12032024 og 2024-03-12.",
    "Det koster kr 1 200, eller kr 12 000 000, eller 1.200.000 kroner.",
    "Ring meg på +47 412 34 567, (+47) 22334455 eller 0047 22 33 44 55.",
    "ring 113 eller 116 123, Kirkens SOS +47 22 40 00 40 / 22400040, min er 412 34 567",
    "Konto 1234.56.78903 eller 1234 56 78903. Ref 123456789012",
    "fnr: 311299\u201356715, 31 12 99 567 15, nr 0107 2 116 123",
    "Skriv til kari.nordmann@firma.no. Eller ØYVIND+sorg@bergen.kommune.no",
    "Karis mor og Per's bror, kari og Karianne Persen, Anne-Lise kom",
    "post: kari@post.no",
    "a\ue000b\ue003c 113 \ue006",
    "greet",
    "faq/livstestament",
    "utter_faq/livstestament",
    "Ring Mental Helse Hjelpetelefonen på 116 123, eller 113 hvis det haster.",
    "Arabisk-indiske ٣١١٢٩٩٥٦٧١٥ og fullbredde ２２３３４４５５ sifre",
    "",
]
NAMES = ["Kari", "Kari Nordmann", "Per", "Anne-Lise", "post", " ", "O"]
ALPHABET = list("aKrinPeåøæ sS'’-.+()@/:,") + list("0123456789") + ["٣", "２", "\u00a0", "\u2013", "\u202f", "\n"]
ALPHABET += ["\ue000", "\ue001", "\ue003", "\ue006", "Kari", "Per", "Nordmann", "113", "116 123", "22 40 00 40"]


def random_texts(count: int, seed: int = 20240312) -> list[str]:
    rng = random.Random(seed)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(count)]
    # Tricky cases with a few characters changed, inserted or dropped.
    for _ in range(count):
        chars = list(rng.choice(TRICKY_TEXTS))
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(chars))
            if rng.random() < 0.5 or not chars[at:]:
                chars.insert(at, rng.choice(ALPHABET))
            else:
                del chars[at]
        texts.append("".join(chars))
    return texts


@pytest.mark.parametrize("names", [(), ["Kari Nordmann"], NAMES])
def test_the_quick_path_answers_as_the_full_redaction_does(names: list[str]) -> None:
    for text in TRICKY_TEXTS + random_texts(1500):
        full = _redact(text, _normalise_names(names), tuple(HELPLINE_NUMBERS))
        assert redact(text, person_names=names, keep_numbers=HELPLINE_NUMBERS) == full, text


def test_a_string_the_quick_path_skips_has_nothing_to_mask() -> None:
    skipped = 0
    for text in TRICKY_TEXTS + random_texts(3000):
        if _MAYBE_MASKED_RE.search(text) or any(name in text for name in _normalise_names(NAMES)):
            continue
        skipped += 1
        assert _redact(text, _normalise_names(NAMES), tuple(HELPLINE_NUMBERS)) == text, text
    assert skipped > 100  # the random texts do exercise the quick path


def test_helplines_and_names_may_come_as_any_iterable() -> None:
    expected = redact(MESSAGE, person_names=["Kari Nordmann"], keep_numbers=HELPLINE_NUMBERS)
    assert expected == REDACTED
    assert redact(MESSAGE, person_names=("Kari Nordmann",), keep_numbers=tuple(HELPLINE_NUMBERS)) == expected
    assert redact(MESSAGE, person_names={"Kari Nordmann"}, keep_numbers=iter(HELPLINE_NUMBERS)) == expected
    # Helplines cached by value: another list with the same numbers, and then other numbers, each count.
    assert redact("Ring 22 40 00 40", keep_numbers=list(HELPLINE_NUMBERS)) == "Ring 22 40 00 40"
    assert redact("Ring 22 40 00 40", keep_numbers=["113"]) == "Ring [telefon]"
