"""`python -m bot.services validate|load`: check the local service directory, and load it into the database.

A bad file is reported with file and line, and nothing is loaded: the database keeps the directory it had.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.content.catalogue import CONTENT_DIR
from bot.content.database import database_url, make_engine
from bot.services.dialogue import content_problems
from bot.services.loader import load_directory
from bot.services.schema import DIRECTORY_DIR, TOPICS_FILE
from bot.services.topics import read_topics
from bot.services.validation import read_directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.services", description=__doc__)
    parser.add_argument("command", choices=["validate", "load"])
    parser.add_argument("--dir", default=str(DIRECTORY_DIR), help="folder with <nummer>-<navn>.yml files")
    parser.add_argument("--topics", default=str(TOPICS_FILE), help="service_topics.yml")
    args = parser.parse_args(argv)

    directory, problems = read_directory(Path(args.dir))
    problems += read_topics(Path(args.topics))[1]
    problems += content_problems(CONTENT_DIR / "items")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} feil i tjenestekatalogen; ingenting er endret i databasen.", file=sys.stderr)
        return 1
    fictional = sum(k.fictional for k in directory.kommuner.values())
    print(
        f"Tjenestekatalogen er gyldig: {len(directory.kommuner)} kommuner ({fictional} fiktive), "
        f"{len(directory.services)} tjenester."
    )
    if args.command == "load":
        counts = load_directory(directory, make_engine())
        safe_url = database_url().split("@")[-1]  # never print credentials
        print(f"Lastet inn i {safe_url}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
