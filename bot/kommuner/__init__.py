"""Norwegian kommuner (2024): the list from content/kommuner/kommuner.csv and recognition in messages."""

from bot.kommuner.gazetteer import KommuneMatch, recognize_kommuner
from bot.kommuner.registry import Kommune, kommune_by_number, load_kommuner

__all__ = ["Kommune", "KommuneMatch", "kommune_by_number", "load_kommuner", "recognize_kommuner"]
