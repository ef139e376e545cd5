"""Install the spaCy pipeline nb_core_news_sm: the official wheel where reachable, else a local wheelhouse.

`python -m bot.install_model` does nothing when the pipeline already loads. It tries spaCy's official release
wheel first (short time-out), then a wheelhouse folder (NB_MODEL_WHEELHOUSE, default ../shared/wheelhouse),
and otherwise stops with a message that says what to do.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

MODEL = "nb_core_news_sm"
MODEL_VERSION = "3.4.0"
OFFICIAL_WHEEL = (
    f"https://github.com/explosion/spacy-models/releases/download/{MODEL}-{MODEL_VERSION}/"
    f"{MODEL}-{MODEL_VERSION}-py3-none-any.whl"
)
PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WHEELHOUSE = PROJECT_ROOT.parent / "shared" / "wheelhouse"


def model_installed() -> bool:
    return importlib.util.find_spec(MODEL) is not None


def official_wheel_reachable(timeout: float = 5.0) -> bool:
    request = urllib.request.Request(OFFICIAL_WHEEL, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status < 400
    except (urllib.error.URLError, TimeoutError, OSError):
        return False


def wheelhouse_wheel(wheelhouse: Path) -> Path | None:
    wheels = sorted(wheelhouse.glob(f"{MODEL}-*.whl")) if wheelhouse.is_dir() else []
    return wheels[-1] if wheels else None


def pip_install(target: str) -> int:
    return subprocess.call([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", target])


def main() -> int:
    if model_installed():
        print(f"{MODEL} er allerede installert.")
        return 0
    if official_wheel_reachable():
        print(f"Installerer {MODEL} fra spaCy sin offisielle utgivelse …")
        if pip_install(OFFICIAL_WHEEL) == 0:
            return 0
        print("Den offisielle pakken kunne ikke installeres; prøver wheelhouse.", file=sys.stderr)
    wheelhouse = Path(os.environ.get("NB_MODEL_WHEELHOUSE") or DEFAULT_WHEELHOUSE)
    wheel = wheelhouse_wheel(wheelhouse)
    if wheel is not None:
        print(f"Installerer {MODEL} fra {wheel} …")
        return pip_install(str(wheel))
    print(
        f"Fant ikke spaCy-modellen {MODEL}.\n"
        f"- Den offisielle pakken ({OFFICIAL_WHEEL}) kunne ikke nås.\n"
        f"- Ingen {MODEL}-*.whl i wheelhouse-mappen {wheelhouse}.\n"
        "Sett NB_MODEL_WHEELHOUSE til en mappe med pakken, eller gi maskinen tilgang til spaCy sine utgivelser.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
