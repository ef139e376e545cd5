"""The deterministic crisis check: recall, false triggers, pattern coverage, robustness and the pattern file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.safety.crisis import (
    KINDS,
    CrisisPatternError,
    CrisisSignal,
    detect_crisis,
    explain_crisis,
    find_signals,
    load_patterns,
)
from bot.safety.normalize import normalize

CASES_FILE = Path(__file__).resolve().parent / "data" / "crisis_cases.yml"
MAX_FALSE_TRIGGER_RATE = 0.02
# Folded stems of words the crisis patterns care about.
DEATH_TALK = tuple(
    f" {stem}"
    for stem in "do dod doy dau selvmord suicid liv leve begrav sorg pust alene aleine orke bevisst slutt hjerte blod"
    " blor forsvinn byrde lindrende behandling forhandssamtale overdose morfin vakne bryst kramp slag".split()
)


@pytest.fixture(scope="module")
def cases() -> dict:
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def must_trigger(cases: dict) -> list[dict]:
    return cases["must_trigger"]


@pytest.fixture(scope="module")
def must_not_trigger(cases: dict) -> list[str]:
    return cases["must_not_trigger"]


# ------------------------------------------------------------------ the test set itself


def test_case_set_is_big_varied_and_consistent(must_trigger: list[dict], must_not_trigger: list[str]) -> None:
    assert len(must_trigger) >= 100 and len(must_not_trigger) >= 100
    assert {c["kind"] for c in must_trigger} == set(KINDS)
    trigger_texts = [c["text"] for c in must_trigger]
    assert len(set(trigger_texts)) == len(trigger_texts), "duplicate must_trigger text"
    assert len(set(must_not_trigger)) == len(must_not_trigger), "duplicate must_not_trigger text"
    assert not set(trigger_texts) & set(must_not_trigger), "a text is in both lists"
    # The not-trigger set must be full of death and crisis vocabulary, or a low false-trigger rate means little.
    deathy = [t for t in must_not_trigger if any(w in normalize(t) for w in DEATH_TALK)]
    assert len(deathy) >= 0.75 * len(must_not_trigger), f"only {len(deathy)} not-trigger cases talk about death"


# ------------------------------------------------------------------ recall and false triggers


def test_every_must_trigger_case_gives_the_right_kind(must_trigger: list[dict]) -> None:
    wrong = []
    for case in must_trigger:
        signal = detect_crisis(case["text"])
        if signal is None or signal.kind != case["kind"]:
            wrong.append(f"{case['text']!r}: expected {case['kind']}, got {signal}")
    hits = len(must_trigger) - len(wrong)
    assert not wrong, f"recall {hits}/{len(must_trigger)}; misses:\n" + "\n".join(wrong)


def test_false_triggers_stay_at_or_below_two_percent(must_not_trigger: list[str]) -> None:
    false = [f"{text!r}: {detect_crisis(text)}" for text in must_not_trigger if detect_crisis(text)]
    rate = len(false) / len(must_not_trigger)
    assert rate <= MAX_FALSE_TRIGGER_RATE, (
        f"{len(false)}/{len(must_not_trigger)} false triggers ({rate:.1%}):\n" + "\n".join(false)
    )


def test_every_pattern_is_exercised_by_a_must_trigger_case(must_trigger: list[dict]) -> None:
    fired = {s.pattern_id for case in must_trigger for s in find_signals(case["text"])}
    unused = [p.id for p in load_patterns().patterns if p.id not in fired]
    assert not unused, f"patterns no must_trigger case fires: {unused}"


def test_every_exclusion_cancels_some_case(must_trigger: list[dict], must_not_trigger: list[str]) -> None:
    texts = [c["text"] for c in must_trigger] + must_not_trigger
    used = {(r.pattern_id, i) for text in texts for r in explain_crisis(text) for i in r.vetoed_by}
    unused = [
        f"{p.id} unless #{i}" for p in load_patterns().patterns for i in range(len(p.unless)) if (p.id, i) not in used
    ]
    assert not unused, f"exclusions no case needs (dead data, or a missing test case): {unused}"


# ------------------------------------------------------------------ behaviour


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Han puster ikke, og jeg vil ikke leve uten ham", "medical_emergency"),
        ("Pappa ligger for døden og jeg er alene med ham. Jeg orker ikke mer.", "dying_alone"),
        ("hun blør kraftig og ingen er her, mamma er døende", "medical_emergency"),
    ],
)
def test_priority_is_medical_then_dying_alone_then_suicidal(text: str, kind: str) -> None:
    signals = find_signals(text)
    assert len({s.kind for s in signals}) >= 2, signals
    assert detect_crisis(text) == signals[0]
    assert signals[0].kind == kind
    ranks = [KINDS.index(s.kind) for s in signals]
    assert ranks == sorted(ranks)


def test_an_exclusion_only_cancels_the_match_it_overlaps() -> None:
    # "mamma orker ikke mer" is the relative's exhaustion; the user's own "orker ikke mer" must still count.
    assert detect_crisis("mamma orker ikke mer") is None
    signal = detect_crisis("mamma orker ikke mer, og jeg orker ikke mer jeg heller")
    assert signal == CrisisSignal("suicidal", "suicidal.orker_ikke_mer")


@pytest.mark.parametrize(
    "variant",
    ["Jeg vil DØ", "jeg vil doe", "jeg vil dö", "jeg  vil   dø!!!", "jeg vil døøøø", "jeg vil d&oslash;", "jeg vil do"],
)
def test_spelling_variants_fold_to_the_same_text(variant: str) -> None:
    assert normalize(variant) == ". jeg vil do ."
    assert detect_crisis(variant) == CrisisSignal("suicidal", "suicidal.vil_do")


def test_normalized_text_keeps_clause_boundaries() -> None:
    assert normalize("Orker ikke mer!! Vil bare forsvinne") == ". orker ikke mer . vil bare forsvinne ."
    assert normalize("") == "."


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\x00\x01\x02\x7f",
        bytes(range(256)).decode("latin-1") * 50,
        "😭" * 5000,
        "a" + "\u0301" * 20000,
        "<script>alert('x')</script><div><p>hei</p></div>",
        "<" * 10000 + ">" * 10000,
        "&amp;&lt;&#0;&#x110000;&nosuch;" * 500,
        "jeg " * 50000,
        "alene med pappa som " * 3000,
        ". , ! ? ; :" * 5000,
    ],
)
def test_odd_input_never_crashes(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is None or signal.kind in KINDS


def test_non_text_is_not_a_crisis() -> None:
    assert detect_crisis(None) is None  # type: ignore[arg-type]
    assert detect_crisis(b"jeg vil ikke leve lenger") is None  # type: ignore[arg-type]


def test_crisis_is_found_inside_html_and_at_the_end_of_a_huge_message() -> None:
    assert detect_crisis("<p>Hei.</p><p><b>Jeg orker ikke mer</b></p>") == CrisisSignal(
        "suicidal", "suicidal.orker_ikke_mer"
    )
    huge = "Her er en lang tekst om livstestament. " * 30000 + "Mamma har falt og svarer ikke."
    assert detect_crisis(huge) == CrisisSignal("medical_emergency", "medical.falt_svarer_ikke")


# ------------------------------------------------------------------ the pattern file


def test_shipped_patterns_load_with_ids_kinds_and_exclusions() -> None:
    patterns = load_patterns()
    ids = [p.id for p in patterns.patterns]
    assert len(ids) == len(set(ids))
    assert {p.kind for p in patterns.patterns} == set(KINDS)
    assert all(p.id.split(".")[0] in {"medical", "dying_alone", "suicidal"} for p in patterns.patterns)
    assert sum(len(p.unless) for p in patterns.patterns) > 0
    assert load_patterns() is patterns  # compiled once


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "patterns.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_custom_pattern_file_is_used_folded_and_macro_expanded(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "macros": {"SAD": "(?:trist|lei {MEG})", "MEG": "meg"},
            "patterns": [
                {"id": "suicidal.test", "kind": "suicidal", "regex": ["er {SAD}", "må dø"], "unless": ["ikke er"]},
            ],
        },
    )
    patterns = load_patterns(path)
    assert detect_crisis("jeg er lei meg", patterns) == CrisisSignal("suicidal", "suicidal.test")
    assert detect_crisis("jeg MAA DOE", patterns) == CrisisSignal("suicidal", "suicidal.test")
    assert detect_crisis("jeg ikke er trist", patterns) is None


@pytest.mark.parametrize(
    ("patterns", "message"),
    [
        ([{"id": "a", "kind": "suicidal", "regex": "{NOPE}"}], "unknown macro"),
        ([{"id": "a", "kind": "sad", "regex": "x"}], "kind must be one of"),
        ([{"id": "a", "kind": "suicidal", "regex": "x"}, {"id": "a", "kind": "suicidal", "regex": "y"}], "duplicate"),
        ([{"id": "a", "kind": "suicidal", "regex": "(unclosed"}], "pattern a"),
        ([{"id": "a", "kind": "suicidal", "regex": "x", "unless": ["(bad"]}], "unless #0"),
        ([{"id": "a", "kind": "suicidal"}], "expected a regular expression"),
        ([{"kind": "suicidal", "regex": "x"}], "missing id"),
        ([], "no patterns"),
    ],
)
def test_a_bad_pattern_file_fails_loudly(tmp_path: Path, patterns: list, message: str) -> None:
    with pytest.raises(CrisisPatternError, match=message):
        load_patterns(_write(tmp_path, {"patterns": patterns}))


def test_a_macro_cycle_fails_loudly(tmp_path: Path) -> None:
    path = _write(
        tmp_path, {"macros": {"A": "{B}", "B": "{A}"}, "patterns": [{"id": "a", "kind": "suicidal", "regex": "{A}"}]}
    )
    with pytest.raises(CrisisPatternError, match="nested deeper"):
        load_patterns(path)
