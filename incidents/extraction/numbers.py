"""Numbers written as words, turned into digits.

text2num covers French and English, number-parser covers Russian and
Ukrainian; both work offline from tables shipped in the package.
"""

import re

from number_parser import parse as _parse_ru_uk
from text_to_num import alpha2digit

# number-parser's Ukrainian table spells "п'ять" with the modifier letter
# apostrophe; news text uses the typewriter or typographic one.
_UK_APOSTROPHES = re.compile(r"(?<=[\u0400-\u04ff])['’`](?=[\u0400-\u04ff])")


def digits(text: str, language: str) -> str:
    """`text` with every number written in words replaced by digits."""
    if language in ("fr", "en"):
        # threshold=0: "deux drones" and "one drone" are counts too.
        return alpha2digit(text, language, threshold=0)
    if language == "uk":
        text = _UK_APOSTROPHES.sub("ʼ", text)
    if language in ("uk", "ru"):
        return _parse_ru_uk(text, language=language)
    return text
