"""Which of French, English, Ukrainian or Russian a report is written in.

Script first (Cyrillic or Latin), then letters only one of Ukrainian and
Russian uses, then common function words: enough for news reports of a few
sentences, with no model to load.
"""

import re

LANGUAGES = ("fr", "en", "uk", "ru")

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_WORD = re.compile(r"[^\W\d_]+")
_FR_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "une",
        "et",
        "est",
        "dans",
        "pour",
        "que",
        "qui",
        "sur",
        "au",
        "aux",
        "ont",
        "été",
        "par",
        "avec",
        "selon",
        "cette",
        "nuit",
        "ces",
        "pas",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "was",
        "were",
        "is",
        "that",
        "on",
        "with",
        "by",
        "said",
        "from",
        "at",
        "over",
        "have",
        "has",
        "according",
        "overnight",
    ]
)


def detect_language(text: str) -> str:
    """ "fr", "en", "uk" or "ru" ("en" when nothing tells)."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if cyrillic > latin:
        uk, ru = len(_UK_LETTERS.findall(text)), len(_RU_LETTERS.findall(text))
        return "uk" if uk > ru else "ru"
    words = [w.lower() for w in _WORD.findall(text)]
    french = sum(w in _FR_WORDS for w in words)
    english = sum(w in _EN_WORDS for w in words)
    return "fr" if french > english else "en"
