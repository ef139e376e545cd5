"""`python -m bot.content validate|load`: check content files, and load them into the database."""

from __future__ import annotations

import argparse
import sys

from bot.content.catalogue import CONTENT_DIR, read_catalogue
from bot.content.database import database_url, make_engine
from bot.content.faq_domain import FAQ_DOMAIN_FILE, faq_domain_text
from bot.content.loader import load_catalogue
from bot.content.schema import Catalogue
from bot.flows.consistency import dialogue_problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.content", description=__doc__)
    parser.add_argument("command", choices=["validate", "load", "faq-domain"])
    parser.add_argument("--check", action="store_true", help="faq-domain: fail if the generated file is stale")
    parser.add_argument("--content-dir", default=str(CONTENT_DIR))
    args = parser.parse_args(argv)

    from pathlib import Path

    catalogue, problems = read_catalogue(Path(args.content_dir))
    problems += dialogue_problems(catalogue)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} feil i innholdet; ingenting er endret i databasen.", file=sys.stderr)
        return 1
    print(
        f"Innholdet er gyldig: {len(catalogue.items)} elementer, {len(catalogue.sources)} kilder, "
        f"{len(catalogue.helplines)} hjelpetelefoner, {len(catalogue.reflection_sets)} refleksjonssett."
    )
    if args.command == "faq-domain":
        return _faq_domain(catalogue, check=args.check)
    if args.command == "load":
        counts = load_catalogue(catalogue, make_engine())
        safe_url = database_url().split("@")[-1]  # never print credentials
        print(f"Lastet inn i {safe_url}: {counts}")
    return 0


def _faq_domain(catalogue: Catalogue, check: bool) -> int:
    text = faq_domain_text(catalogue)
    current = FAQ_DOMAIN_FILE.read_text(encoding="utf-8") if FAQ_DOMAIN_FILE.exists() else ""
    if check:
        if current != text:
            print(f"{FAQ_DOMAIN_FILE} er utdatert: kjør `python -m bot.content faq-domain`.", file=sys.stderr)
            return 1
        return 0
    if current != text:
        FAQ_DOMAIN_FILE.write_text(text, encoding="utf-8")
        print(f"Skrev {FAQ_DOMAIN_FILE}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
