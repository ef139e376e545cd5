"""Fold a chat message to a plain ASCII skeleton so crisis patterns can be simple regular expressions.

Users write "dø", "do", "doe", "DØ!!", "d&oslash;" and "døøø" for the same word. Folding all of them to one
form here keeps the patterns in content/safety/crisis_patterns.yml short and readable. The same letter folding
is applied to the patterns themselves (fold_letters), so pattern authors may write normal Norwegian.

The result is lower-case words of [a-z0-9] separated by single spaces, with clause punctuation kept as a
stand-alone "." token and one "." at each end:  "Jeg orker ikke mer!! Vil bare forsvinne" ->
". jeg orker ikke mer . vil bare forsvinne ."  Patterns use "\\. " for "start of a clause" and " \\." for
"end of a clause", and "[^.]" for gaps that must stay inside one clause.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Only the head and tail of a very long message are checked: the regexes are linear, but a pasted document of
# megabytes should not cost seconds. Real chat messages are far below this.
HEAD_CHARS = 8000
TAIL_CHARS = 2000

# Letters folded before accents are stripped. æ -> e (not "ae") so "være", "vaere" and nynorsk "vere" meet;
# ø -> o and å -> a for the same reason ("dø", "doe", "do"; "å", "aa", "a").
_LETTERS = str.maketrans({"æ": "e", "ä": "e", "ø": "o", "ö": "o", "å": "a", "ß": "ss"})
# ASCII stand-ins for æ/ø/å, folded the same way as the letters above.
_DIGRAPHS = re.compile(r"ae|oe|aa")
_DIGRAPH_MAP = {"ae": "e", "oe": "o", "aa": "a"}

_TAG = re.compile(r"<[^<>]{0,500}>")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_CLAUSE = re.compile(r"[.!?;:,\u2026\n\r]+")
_NOT_WORD = re.compile(r"[^a-z0-9.]+")
# "meeeer", "ikkkkke", "orkerrrr": three or more of the same letter count as one.
_STRETCH = re.compile(r"([a-z])\1{2,}")
_DOTS = re.compile(r"(?: ?\.)+ ?")


def fold_letters(text: str) -> str:
    """Fold æ/ø/å, their ASCII stand-ins and accents; keeps everything else (used for text and patterns)."""
    text = text.translate(_LETTERS)
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _DIGRAPHS.sub(lambda m: _DIGRAPH_MAP[m.group()], text)


def normalize(text: str) -> str:
    """Return the folded skeleton of a message (see module docstring); empty text gives '.'."""
    if len(text) > HEAD_CHARS + TAIL_CHARS:
        text = text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]
    text = html.unescape(text)
    text = _TAG.sub(" ", text)
    text = unicodedata.normalize("NFC", text).casefold()
    text = fold_letters(text)
    text = _CLAUSE.sub(" . ", text)
    text = _NOT_WORD.sub(" ", text)
    text = _STRETCH.sub(r"\1", text)
    text = " ".join(f". {text} .".split())
    return _DOTS.sub(" . ", text).strip()
