"""Read and validate the service directory files, collecting every problem with file and line.

content/kommuner/tjenester/<nummer>-<navn>.yml, one per kommune. See content/kommuner/README.md for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.content.catalogue import CONTENT_DIR, load_helplines
from bot.content.fields import as_date, display_path
from bot.content.phone_numbers import find_phone_numbers, normalise_number
from bot.content.schema import PLACEHOLDER, Problem
from bot.kommuner.registry import kommune_by_number
from bot.kommuner.textnorm import fold
from bot.services.schema import (
    DIRECTORY_DIR,
    FICTIONAL_NUMBER,
    FILE_FIELDS,
    FILE_NAME,
    KOMMUNE_FIELDS,
    MAX_VERIFIED_AGE_DAYS,
    NEVER_FICTIONAL,
    OPTIONAL_SERVICE_FIELDS,
    SERVICE_FIELDS,
    SERVICE_ID,
    SERVICE_KINDS,
    Directory,
    DirectoryKommune,
    Service,
)
from bot.services.yaml_lines import LinedYaml, YamlError, load_lined

HELPLINES_FILE = CONTENT_DIR / "helplines.yml"
_NUMBER = re.compile(r"^\d{4}$")


def slug(name: str) -> str:
    """File-name form of a kommune name: "Bodø" -> "bodo", "Nord-Aurdal" -> "nord-aurdal"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


@dataclass(frozen=True)
class National:
    """The national helplines: their numbers never go in a directory, their ids may be used as placeholders."""

    numbers: frozenset[str]
    ids: frozenset[str]


def national_helplines(path: Path = HELPLINES_FILE) -> National:
    helplines = load_helplines(path)
    return National(
        numbers=frozenset(normalise_number(h.number) for h in helplines.values()),
        ids=frozenset(helplines),
    )


class _FileCheck:
    """Validates one file; `problems` gets every problem, with the line of the key or entry at fault."""

    def __init__(self, path: Path, doc: LinedYaml, today: date, national: National, taken: dict[str, Path]) -> None:
        self.path, self.doc, self.today, self.national = path, doc, today, national
        self.taken = taken  # service ids already used, and where
        self.where = display_path(path)
        self.problems: list[Problem] = []

    def problem(self, message: str, *at: str | int) -> None:
        self.problems.append(Problem(self.where, self.doc.line(*at), message))

    def kommune(self, file_number: str, file_slug: str) -> DirectoryKommune | None:
        data = self.doc.data
        if not isinstance(data, dict):
            self.problem("filen må være en YAML-mapping med kommune og services")
            return None
        for key in sorted(set(data) - FILE_FIELDS):
            self.problem(f"ukjent felt '{key}' (tillatt: kommune, services)", key)
        raw = data.get("kommune")
        if not isinstance(raw, dict):
            self.problem("mangler kommune: med number og name", "kommune")
            return None
        for key in sorted(set(raw) - KOMMUNE_FIELDS):
            self.problem(f"ukjent felt '{key}' under kommune (tillatt: number, name, fictional)", "kommune", key)
        number, name, fictional = raw.get("number"), raw.get("name"), raw.get("fictional", False)
        if not isinstance(number, str) or not _NUMBER.match(number):
            self.problem('kommune.number må være fire sifre i anførselstegn, for eksempel "0301"', "kommune", "number")
            return None
        if not isinstance(name, str) or not name.strip():
            self.problem("kommune.name mangler", "kommune", "name")
            return None
        if not isinstance(fictional, bool):
            self.problem("fictional må være true eller false", "kommune", "fictional")
            return None
        if number != file_number:
            self.problem(f"kommunenummeret {number} stemmer ikke med filnavnet ({file_number})", "kommune", "number")
        real = kommune_by_number(number)
        if fictional:
            if number != FICTIONAL_NUMBER:
                self.problem(
                    f"bare eksempelkommunen {FICTIONAL_NUMBER} kan være fictional: true", "kommune", "fictional"
                )
                return None
            names = (name,)
        elif number == FICTIONAL_NUMBER:
            self.problem(f"{FICTIONAL_NUMBER} er eksempelkommunen og må ha fictional: true", "kommune", "number")
            return None
        elif real is None:
            self.problem(f"kommunenummeret {number} finnes ikke i content/kommuner/kommuner.csv", "kommune", "number")
            return None
        else:
            names = real.names
            if name not in names:
                self.problem(f"{number} heter {' / '.join(names)} i kommuner.csv, ikke '{name}'", "kommune", "name")
        if file_slug not in {slug(n) for n in names}:
            self.problem(f"filen bør hete {number}-{slug(names[0])}.yml", "kommune", "name")
        return DirectoryKommune(number=number, name=name.strip(), fictional=fictional)

    def service(self, index: int, raw: Any, owner: DirectoryKommune) -> Service | None:
        at = ("services", index)
        if not isinstance(raw, dict):
            self.problem("hver tjeneste må være en mapping med feltene " + ", ".join(SERVICE_FIELDS), *at)
            return None
        before = len(self.problems)
        for key in sorted(set(raw) - set(SERVICE_FIELDS)):
            self.problem(f"ukjent felt '{key}' (tillatt: {', '.join(SERVICE_FIELDS)})", *at, key)
        missing = [f for f in SERVICE_FIELDS if f not in raw]
        if missing:
            self.problem(f"tjenesten mangler felt: {', '.join(missing)} (skriv null når noe ikke er kjent)", *at)
        sid = raw.get("id")
        if not isinstance(sid, str) or not SERVICE_ID.match(sid):
            self.problem("id må være snake_case, for eksempel bodo_palliativt_team", *at, "id")
        elif sid in self.taken:
            self.problem(f"tjeneste-id '{sid}' er allerede brukt i {display_path(self.taken[sid])}", *at, "id")
        if raw.get("kind") not in SERVICE_KINDS:
            self.problem(f"ukjent kind '{raw.get('kind')}' (tillatt: {', '.join(SERVICE_KINDS)})", *at, "kind")
        for key in ("name", "helps_with", "source"):
            if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
                self.problem(f"{key} må være en tekst", *at, key)
        for key in OPTIONAL_SERVICE_FIELDS:
            value = raw.get(key)
            if value is not None and (not isinstance(value, str | int) or not str(value).strip()):
                self.problem(f"{key} må være en tekst eller null", *at, key)
        self._contact(raw, owner, at)
        covers = self._covers(raw.get("covers"), owner, at)
        verified = self._verified(raw.get("verified"), owner, at)
        if len(self.problems) > before or covers is None or verified is None:
            return None
        self.taken[sid] = self.path
        optional = {k: (str(raw[k]).strip() if raw.get(k) is not None else None) for k in OPTIONAL_SERVICE_FIELDS}
        return Service(
            id=sid,
            kind=raw["kind"],
            name=raw["name"].strip(),
            helps_with=raw["helps_with"].strip(),
            covers=covers,
            source=raw["source"].strip(),
            verified=verified,
            owner=owner.number,
            **optional,
        )

    def _contact(self, raw: dict[str, Any], owner: DirectoryKommune, at: tuple[str | int, ...]) -> None:
        if owner.fictional:
            for key in NEVER_FICTIONAL:
                if raw.get(key) is not None:
                    self.problem(
                        f"{key} må være null i en fiktiv kommune: skriv aldri et nummer, en adresse eller en "
                        "åpningstid som ikke er verifisert",
                        *at,
                        key,
                    )
        phone = raw.get("phone")
        if phone is not None and not owner.fictional:
            digits = normalise_number(str(phone))
            if digits in self.national.numbers:
                self.problem(
                    f"{phone} er et nasjonalt nummer; her står bare kommunens egne nummer (de nasjonale står i "
                    "content/helplines.yml)",
                    *at,
                    "phone",
                )
            elif not re.fullmatch(r"\d{8}", digits):
                self.problem(f"telefonnummeret {phone} er ikke et norsk nummer med åtte sifre", *at, "phone")
        web = raw.get("web")
        if isinstance(web, str) and not web.startswith(("https://", "http://")):
            self.problem("web må være en full adresse som starter med https://", *at, "web")
        for key in ("name", "helps_with", "how_to_contact", "address", "opening_hours"):
            text = raw.get(key)
            if not isinstance(text, str):
                continue
            for match in PLACEHOLDER.finditer(text):
                if match.group(2) not in self.national.ids:
                    self.problem(f"ukjent hjelpetelefon '{match.group(2)}' i plassholder", *at, key)
            if find_phone_numbers(PLACEHOLDER.sub("", text)):
                self.problem(
                    f"telefonnummer i {key}: kommunens nummer står i phone, nasjonale nummer som "
                    "{{number:<id>}} fra content/helplines.yml",
                    *at,
                    key,
                )

    def _covers(self, value: Any, owner: DirectoryKommune, at: tuple[str | int, ...]) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            self.problem('covers må være en liste med kommunenummer, for eksempel ["1804"]', *at, "covers")
            return None
        numbers: list[str] = []
        for k, number in enumerate(value):
            if not isinstance(number, str) or not _NUMBER.match(number):
                self.problem(
                    f"kommunenummer i covers må stå i anførselstegn med fire sifre, ikke {number!r}", *at, "covers", k
                )
            elif owner.fictional and number != owner.number:
                self.problem(f"en fiktiv kommune kan bare dekke seg selv ({owner.number})", *at, "covers", k)
            elif not owner.fictional and kommune_by_number(number) is None:
                self.problem(f"kommunenummeret {number} finnes ikke i content/kommuner/kommuner.csv", *at, "covers", k)
            elif number not in numbers:
                numbers.append(number)
        if owner.number not in value:
            self.problem(f"covers må ta med kommunen selv ({owner.number})", *at, "covers")
        return tuple(numbers) if len(numbers) == len(value) else None

    def _verified(self, value: Any, owner: DirectoryKommune, at: tuple[str | int, ...]) -> date | None:
        verified = as_date(value)
        if verified is None:
            self.problem(
                "verified må være en dato (ÅÅÅÅ-MM-DD) for når opplysningene sist ble sjekket", *at, "verified"
            )
        elif verified > self.today:
            self.problem("verified kan ikke være i framtiden", *at, "verified")
        elif not owner.fictional and verified < self.today - timedelta(days=MAX_VERIFIED_AGE_DAYS):
            self.problem(
                f"opplysningene ble sjekket {verified}; sjekk dem på nytt (høyst ett år gamle)", *at, "verified"
            )
        else:
            return verified
        return None


def _read_file(
    path: Path, today: date, national: National, taken: dict[str, Path]
) -> tuple[DirectoryKommune | None, list[Service], list[Problem]]:
    name_match = FILE_NAME.match(path.name)
    if not name_match:
        return (
            None,
            [],
            [
                Problem(
                    display_path(path), 1, "filnavnet må være <kommunenummer>-<navn>.yml, for eksempel 1804-bodo.yml"
                )
            ],
        )
    try:
        doc = load_lined(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [], [Problem(display_path(path), 1, "filen er ikke UTF-8")]
    except YamlError as exc:
        return None, [], [Problem(display_path(path), exc.line, str(exc))]
    check = _FileCheck(path, doc, today, national, taken)
    owner = check.kommune(name_match["number"], name_match["slug"])
    if owner is None:
        return None, [], check.problems
    raw_services = doc.data.get("services")
    if not isinstance(raw_services, list) or not raw_services:
        check.problem("services må være en ikke-tom liste", "services")
        return owner, [], check.problems
    services = [s for k, raw in enumerate(raw_services) if (s := check.service(k, raw, owner)) is not None]
    return owner, services, check.problems


def read_directory(
    directory: Path = DIRECTORY_DIR, today: date | None = None, national: National | None = None
) -> tuple[Directory, list[Problem]]:
    """Read every kommune file; the Directory holds only what passed, the problems say what did not."""
    today = today or date.today()
    national = national_helplines() if national is None else national
    result, problems = Directory(), []
    taken: dict[str, Path] = {}
    if not directory.is_dir():
        return result, [Problem(display_path(directory), 1, "mappen med tjenestekataloger finnes ikke")]
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.name == "README.md":
            continue
        owner, services, file_problems = _read_file(path, today, national, taken)
        problems += file_problems
        if owner is None:
            continue
        if owner.number in result.kommuner:
            problems.append(
                Problem(
                    display_path(path),
                    1,
                    f"kommune {owner.number} har allerede en fil: {display_path(result.files[owner.number])}",
                )
            )
            continue
        result.kommuner[owner.number], result.files[owner.number] = owner, path
        result.services.update((service.id, service) for service in services)
    return result, problems
