"""Rasa's command line with bot/rasa_fixes.py applied first: `python -m bot.rasa_cli run …` (any rasa command)."""

from __future__ import annotations

import sys

from bot.rasa_fixes import apply_fixes


def main() -> None:
    apply_fixes()
    from rasa.__main__ import main as rasa_main  # after the fixes, so every command runs with them

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
