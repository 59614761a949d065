"""The attack window a sentence names, resolved against the publication date.

Explicit dates ("dans la nuit du 9 au 10 novembre", "у ніч на 10 листопада")
and relative ones ("la nuit de samedi à dimanche", "overnight",
"в ночь на воскресенье", "вночі") give a `Window` of whole days in Kyiv time:
a night is the evening of one day to the morning of the next, recorded as
started on the first day and ended on the second, to date precision.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import dateparser

KYIV = ZoneInfo("Europe/Kyiv")

# Stems of weekday names, Monday first, as they appear in any grammatical case.
_WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ],
    "uk": ["понеділ", "вівтор", "серед", "четвер", "п[ʼ'’]?ятниц", "субот", "неділ"],
    "ru": [
        "понедельник",
        "вторник",
        "сред",
        "четверг",
        "пятниц",
        "суббот",
        "воскресень",
    ],
}
_NIGHT = r"(?:nuit|night|ніч|ночь)"
_MONTH_WORD = r"[^\W\d_]{3,}\.?"
_YEAR = r"(?:\s+(\d{4}))?"
# "dans la nuit du 9 au 10 novembre", "night of 9 to 10 November",
# "в ночь с 9 на 10 ноября", "у ніч з 9 на 10 листопада".
_NIGHT_RANGE = re.compile(
    _NIGHT + r"\s+(?:du|of|from|з|із|с|со)\s+(\d{1,2})(?:er|st|nd|rd|th)?\s+"
    r"(?:au|to|into|and|на|-|–)\s+(\d{1,2})(?:st|nd|rd|th)?\s+("
    + _MONTH_WORD
    + ")"
    + _YEAR,
    re.IGNORECASE,
)
# "у ніч на 10 листопада", "в ночь на 10 ноября", "night to 10 November".
_NIGHT_TO = re.compile(
    _NIGHT
    + r"\s+(?:на|to|into)\s+(\d{1,2})(?:st|nd|rd|th)?\s+("
    + _MONTH_WORD
    + ")"
    + _YEAR,
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:er|st|nd|rd|th)?\s+(" + _MONTH_WORD + ")" + _YEAR, re.IGNORECASE
)
_MONTH_DAY = re.compile(
    r"\b(" + _MONTH_WORD + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b",
    re.IGNORECASE,
)
_LAST_NIGHT = {
    "fr": r"cette nuit|la nuit dernière|dans la nuit(?! d)|durant la nuit(?! d)"
    r"|pendant la nuit(?! d)",
    "en": r"overnight|last night|during the night|through the night",
    "uk": r"вночі|уночі|цієї ночі|минулої ночі|протягом ночі|за ніч",
    "ru": r"ночью|этой ночью|прошлой ночью|минувшей ночью|за ночь|в течение ночи",
}
_YESTERDAY = {"fr": r"hier", "en": r"yesterday", "uk": r"вчора|учора", "ru": r"вчера"}
_TODAY = {
    "fr": r"aujourd['’]hui|ce matin",
    "en": r"today|this morning",
    "uk": r"сьогодні|цього ранку",
    "ru": r"сегодня|этим утром",
}


# "from 18:00 to 06:30", "de 20h à 5h30", "з 18:30 до 08:00", "с 20:00 до 7:00".
_TIME = r"([01]?\d|2[0-3])(?:[:.h]([0-5]\d)|h)(?!\d)"
_TIME_RANGE = re.compile(
    r"(?:from|between|de|dès|depuis|entre|з|із|від|с|со|от)\s+"
    + _TIME
    # "з 18:00 9 листопада до 08:30": the day may stand between the times.
    + r"(?:\s+\d{1,2}\s+[^\W\d_]{3,}\.?)?"
    + r"\s*(?:to|until|till|and|-|–|à|a|au|et|jusqu['’]à|до|по|и|і)\s+"
    + _TIME,
    re.IGNORECASE,
)

_TIME_FROM = re.compile(
    r"(?:from|since|depuis|dès|à partir de|з|із|від|с|со|начиная с)\s+" + _TIME,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Window:
    """Whole days, or (when the report gives them) times of day too."""

    start: dt.date
    end: dt.date | None
    start_time: dt.time | None = None
    end_time: dt.time | None = None

    @property
    def has_times(self):
        return self.start_time is not None

    def with_times(self, times):
        """The window with the times of day of `times` ((start, end) or None)."""
        if not times:
            return self
        start_time, end_time = times
        if end_time is None:  # the end is not known to the minute: leave it out
            return Window(self.start, None, start_time, None)
        end = self.end
        if end is None or (end == self.start and end_time <= start_time):
            end = self.start + dt.timedelta(days=1 if end_time <= start_time else 0)
        return Window(self.start, end, start_time, end_time)

    def started_at(self):
        return dt.datetime.combine(self.start, self.start_time or dt.time(0), KYIV)

    def ended_at(self):
        if self.end is None:
            return None
        return dt.datetime.combine(self.end, self.end_time or dt.time(0), KYIV)


def find_times(sentence: str):
    """(start, end) times of day named in `sentence`, or None; the end is
    None when only the start is given ("з 18:00 9 листопада")."""
    match = _TIME_RANGE.search(sentence)
    if match:
        h1, m1, h2, m2 = match.groups()
        return dt.time(int(h1), int(m1 or 0)), dt.time(int(h2), int(m2 or 0))
    match = _TIME_FROM.search(sentence)
    if match:
        h1, m1 = match.groups()
        return dt.time(int(h1), int(m1 or 0)), None
    return None


def find_window(sentence: str, language: str, published_on: dt.date | None):
    """The first attack window named in `sentence`, or None."""
    base = published_on
    for finder in (_night_range, _night_to, _weekday_night, _explicit_day):
        window = finder(sentence, language, base)
        if window:
            return window.with_times(find_times(sentence))
    if base is None:
        return None
    window = _relative_word(sentence, language, base)
    return window.with_times(find_times(sentence)) if window else None


@functools.lru_cache(maxsize=1024)
def _parse_day(day, month_word, year, language, base):
    text = f"{day} {month_word}" + (f" {year}" if year else "")
    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time(12))
    try:
        parsed = dateparser.parse(text, languages=[language], settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed else None


def _night_range(sentence, language, base):
    match = _NIGHT_RANGE.search(sentence)
    if not match:
        return None
    first, last, month_word, year = match.groups()
    end = _parse_day(last, month_word, year, language, base)
    if end is None:
        return None
    start = end - dt.timedelta(days=int(last) - int(first))
    if int(first) > int(last):  # "du 31 octobre au 1er novembre"
        start = end - dt.timedelta(days=1)
    return Window(start, end)


def _night_to(sentence, language, base):
    match = _NIGHT_TO.search(sentence)
    if not match:
        return None
    day, month_word, year = match.groups()
    end = _parse_day(day, month_word, year, language, base)
    return Window(end - dt.timedelta(days=1), end) if end else None


def _weekday_night(sentence, language, base):
    if base is None:
        return None
    days = "|".join(f"({stem})" for stem in _WEEKDAYS[language])
    day = rf"(?:{days})[^\W\d_]*"
    pairs = {
        "fr": rf"nuit\s+(?:de|du)\s+{day}\s+(?:à|au)\s+{day}",
        "en": rf"night\s+(?:of|from)\s+{day}\s+(?:to|into|and)\s+{day}",
        "uk": rf"ніч\s+(?:з|із)\s+{day}\s+на\s+{day}",
        "ru": rf"ночь\s+(?:с|со)\s+{day}\s+на\s+{day}",
    }
    to_day = {
        "fr": None,
        "en": rf"(?:{day})\s+night",
        "uk": rf"ніч\s+на\s+{day}",
        "ru": rf"ночь\s+на\s+{day}",
    }
    match = re.search(pairs[language], sentence, re.IGNORECASE)
    if match:
        groups = match.groups()
        # the second weekday's group is in the second half of the groups
        second = next(i for i, g in enumerate(groups[7:]) if g is not None)
        end = _last_weekday(base, second)
        return Window(end - dt.timedelta(days=1), end)
    if to_day[language]:
        match = re.search(to_day[language], sentence, re.IGNORECASE)
        if match:
            index = next(i for i, g in enumerate(match.groups()) if g is not None)
            if language == "en":  # "Saturday night": into Sunday
                start = _last_weekday(base - dt.timedelta(days=1), index)
                return Window(start, start + dt.timedelta(days=1))
            end = _last_weekday(base, index)
            return Window(end - dt.timedelta(days=1), end)
    return None


def _last_weekday(base, weekday):
    """The latest date on or before `base` falling on `weekday` (0 = Monday)."""
    return base - dt.timedelta(days=(base.weekday() - weekday) % 7)


def _explicit_day(sentence, language, base):
    for match in _DAY_MONTH.finditer(sentence):
        day, month_word, year = match.groups()
        date = _parse_day(day, month_word, year, language, base)
        if date:
            return Window(date, None)
    if language == "en":
        for match in _MONTH_DAY.finditer(sentence):
            month_word, day, year = match.groups()
            date = _parse_day(day, month_word, year, language, base)
            if date:
                return Window(date, None)
    return None


def _relative_word(sentence, language, base):
    lowered = sentence.lower()
    if re.search(rf"(?<!\w)(?:{_LAST_NIGHT[language]})(?!\w)", lowered):
        return Window(base - dt.timedelta(days=1), base)
    if re.search(rf"(?<!\w)(?:{_YESTERDAY[language]})(?!\w)", lowered):
        return Window(base - dt.timedelta(days=1), None)
    if re.search(rf"(?<!\w)(?:{_TODAY[language]})(?!\w)", lowered):
        return Window(base, None)
    return None


@functools.lru_cache(maxsize=512)
def is_day_and_month(day: str, word: str, language: str) -> bool:
    """True when "<day> <word>" is a date ("9 ноября"), not a count."""
    if not day.isdigit() or not 1 <= int(day) <= 31:
        return False
    return _parse_day(day, word, None, language, None) is not None
