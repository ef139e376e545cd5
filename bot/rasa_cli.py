"""Rasa's command line with bot/rasa_fixes.py applied first: `python -m bot.rasa_cli run …` (any rasa command)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from bot.rasa_fixes import apply_fixes

SEED_VARIABLE = "SAMTALE_RANDOM_SEED"


def seed_numpy(environ: Mapping[str, str] = os.environ) -> int | None:
    """Seed NumPy's global generator from SAMTALE_RANDOM_SEED, if set. `rasa test nlu --cross-validation` shuffles
    its folds with that generator and takes no seed, so without this each `make crossval` scored other folds."""
    raw = environ.get(SEED_VARIABLE, "").strip()
    if not raw:
        return None
    import numpy as np

    seed = int(raw)
    np.random.seed(seed)
    return seed


def main() -> None:
    apply_fixes()
    seed_numpy()
    from rasa.__main__ import main as rasa_main  # after the fixes, so every command runs with them

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
