"""Spelling-tolerant place names.

A place is written many ways: "Ramenskoye", "Ramenskoïe" (French), "Раменское"
(Russian). Every name is folded to lower-case ASCII (accents dropped, Cyrillic
transliterated) and stored in `Location.search_text`, so one query in any
spelling finds the place with a plain substring match on SQLite and PostgreSQL
alike. A looser key also makes transliteration variants of one word equal
("ramenskoye", "ramenskoie" and "ramenskoe" all give "ramenskoe").
"""

import re

from anyascii import anyascii

_SUFFIXES = re.compile(
    r"\b(oblast|oblast'|obl|region|raion|rayon|krai|kray|district|oblasti)\b\.?"
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Letters and digraphs that transliteration systems disagree about.
_LOOSE = [
    (re.compile(r"[yij]+e"), "e"),
    (re.compile(r"[yij]+([aou])"), r"\1"),
    (re.compile(r"(?<=[aeiou])[yij]+"), ""),
    (re.compile(r"kh"), "h"),
    (re.compile(r"zh"), "z"),
    (re.compile(r"ts"), "c"),
    (re.compile(r"(.)\1"), r"\1"),
]


def fold(name: str) -> str:
    """Lower-case ASCII with punctuation turned into single spaces."""
    ascii_name = anyascii(name or "").lower()
    return _NON_WORD.sub(" ", ascii_name).strip()


def loose_key(name: str) -> str:
    """A key equal for the common transliterations of one name.

    Region suffixes ("oblast", "obl.", "region") are dropped, so
    "Kursk oblast" and "Kursk region" share a key.
    """
    text = _SUFFIXES.sub(" ", fold(name))
    text = _NON_WORD.sub("", text)
    for pattern, replacement in _LOOSE:
        text = pattern.sub(replacement, text)
    return text


def search_text(names) -> str:
    """The text stored for substring and key matching of a set of names.

    Folded names are separated by "|" and every loose key is wrapped in "#",
    so `contains` on "#key#" only matches a whole key.
    """
    folded = sorted({fold(n) for n in names if n and fold(n)})
    keys = sorted({loose_key(n) for n in names if n and loose_key(n)})
    return "|" + "|".join(folded) + "|" + "".join(f"#{k}#" for k in keys)
