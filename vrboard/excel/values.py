"""Reading values the way people type them into a tracker.

Each ``parse_*`` function takes what the reader returned for one cell (str, int,
float, bool, date, datetime or None) and returns the value vrboard stores, or
raises ``CellValueError`` with a message meant for the person who typed it.

Every parser runs in time linear in the cell's length: runs of white space are collapsed
in one pass, text longer than any value of its kind is refused before a pattern sees it
(``MAX_DATE_CHARS``, ``MAX_NUMBER_CHARS``, ``MAX_WORD_CHARS``), and the patterns are
anchored, with no two neighbouring repeats that could match the same characters. A cell of
"1" followed by 32,767 spaces once took 31 s here; now every cell takes microseconds.
Messages quote at most ``SHOWN_CHARS`` characters of what was typed.
"""
from __future__ import annotations

import datetime as dt
import re

from ..model import RAG, ActionStatus
from ..model.base import Label


class CellValueError(ValueError):
    """A cell's value could not be understood; ``str()`` says why in plain words."""


EPOCH_1900 = dt.date(1899, 12, 30)  # Excel's 1900 system, with its 29/02/1900 bug folded in
EPOCH_1904 = dt.date(1904, 1, 1)
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)

_MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for m in names}
# The patterns below see text whose white space is already collapsed to single spaces
# (``_squeeze``) and at most MAX_DATE_CHARS long; a separator is one of / . - or a space,
# with at most one space on either side.
_SEP = r" ?[/.\- ] ?"
_NUMERIC_DATE = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{2}}|\d{{4}})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?")
_WORDY_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ \-/.]{0,3}([a-z]{3,9})\.?,?[ \-/.]{0,3}(\d{2}|\d{4})")
_WEEKDAY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6},? ")
_TIME_SUFFIX = re.compile(r" \d{1,2}:\d{2}(?::\d{2})?$")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d{1,15})?")

MAX_DATE_CHARS = 64     # "Wednesday, 30th September 2020 23:59:59" is 39
MAX_NUMBER_CHARS = 64   # percentages: "100%", "0.333333333333333"
MAX_WORD_CHARS = 200    # status and RAG words: the longest known is 26
SHOWN_CHARS = 60


def _squeeze(s: str) -> str:
    """White space trimmed, and every run of it inside made one space: one pass."""
    return " ".join(s.split())


def clip(s: str, most: int = SHOWN_CHARS) -> str:
    """What was typed, cut for a message: a 32,767-character cell is not quoted whole."""
    return s if len(s) <= most else s[: most - 1].rstrip() + "…"


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """A cell as text: numbers without a spurious '.0', dates day first."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and value.bit_length() > 10_000:
        return "(a number of more than 3,000 digits)"  # str() refuses past 4,300 digits
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\r\n", "\n").strip()


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if len(y) == 2 and n < 70 else (n + 1900 if len(y) == 2 else n)


def _checked(d: dt.date, shown: str) -> dt.date:
    if not EARLIEST <= d <= LATEST:
        raise CellValueError(f"'{clip(shown)}' is not a plausible date (it reads as {d:%d/%m/%Y}).")
    return d


def _float(value: int | float) -> float:
    """A number as a float; an integer too large for one becomes infinity (then refused)."""
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def serial_to_date(serial: float, date1904: bool = False) -> dt.date:
    """An Excel date serial number in the workbook's date system."""
    if serial != serial or serial < 1:  # NaN or before the epoch
        raise CellValueError(f"{clip(text(serial))} is not a date.")
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    if not date1904 and serial < 60:  # before Excel's phantom 29/02/1900
        epoch = dt.date(1899, 12, 31)
    try:
        return epoch + dt.timedelta(days=int(serial))
    except OverflowError:
        raise CellValueError(f"{clip(text(serial))} is not a date.") from None


def parse_date(value: object, *, date1904: bool = False) -> dt.date | None:
    """UK day-first dates: 31/03/2020, 31/3/20, 31.03.2020, 31-03-2020, 31 March 2020,
    31-Mar-20, 2020-03-31 (ISO), real date cells, and Excel serial numbers."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _checked(value.date(), text(value))
    if isinstance(value, dt.date):
        return _checked(value, text(value))
    if isinstance(value, bool):
        raise CellValueError(f"'{text(value)}' is not a date.")
    if isinstance(value, int | float):
        return _checked(serial_to_date(_float(value), date1904), clip(text(value)))
    s = _squeeze(str(value))
    if len(s) > MAX_DATE_CHARS:
        raise CellValueError(f"'{clip(s)}' is {len(s):,} characters long, too long to be a date; "
                             "write it day first, e.g. 31/03/2020.")
    low = s.lower()
    if m := _WEEKDAY.match(low):
        low = low[m.end():]
    low = _TIME_SUFFIX.sub("", low)
    try:
        if m := _NUMERIC_DATE.fullmatch(low):
            day, month, year = int(m[1]), int(m[2]), _year(m[3])
            if month > 12:
                raise CellValueError(
                    f"'{s}' is not a date: month {month} does not exist. Dates are day first "
                    "(dd/mm/yyyy), e.g. 31/03/2020."
                )
            return _checked(dt.date(year, month, day), s)
        if m := _ISO_DATE.fullmatch(low):
            return _checked(dt.date(int(m[1]), int(m[2]), int(m[3])), s)
        if m := _WORDY_DATE.fullmatch(low):
            month = _MONTHS.get(m[2])
            if month is not None:
                return _checked(dt.date(_year(m[3]), month, int(m[1])), s)
        if _SERIAL_TEXT.fullmatch(low):  # a serial number stored as text
            return _checked(serial_to_date(float(low), date1904), s)
    except ValueError as exc:
        if isinstance(exc, CellValueError):
            raise
        raise CellValueError(f"'{s}' is not a real date.") from None
    raise CellValueError(f"'{s}' is not a date vrboard understands; write it day first, e.g. 31/03/2020.")


def parse_percent(value: object, *, fractions: bool = False) -> int | None:
    """50%, '50%', 0.5 (a cell formatted as a percentage) or 50: a whole number 0-100.

    ``fractions`` says the whole column holds fractions (every number is 0-1), so
    1 means 100%.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellValueError(f"'{text(value)}' is not a percentage.")
    shown = clip(text(value))
    from_fraction = False  # a percent-formatted cell showing 33% may hold 0.333...: round it
    if isinstance(value, str):
        s = "".join(value.split())
        if len(s) > MAX_NUMBER_CHARS:
            raise CellValueError(f"'{shown}' is too long to be a percentage; write a whole number "
                                 "from 0 to 100.")
        had_sign = s.endswith("%")
        s = s.rstrip("%")
        try:
            number = float(s)
        except ValueError:
            raise CellValueError(f"'{shown}' is not a percentage; write a whole number from 0 to 100.") \
                from None
        if not had_sign and 0 < number < 1:
            number, from_fraction = number * 100, True
    elif isinstance(value, int | float):
        number = _float(value)
        if (fractions and 0 <= number <= 1) or 0 < number < 1:
            number, from_fraction = number * 100, True
    else:
        raise CellValueError(f"'{shown}' is not a percentage.")
    if number != number or not 0 <= number <= 100:
        raise CellValueError(f"'{shown}' is outside 0-100; percent complete is a whole number from 0 to 100.")
    rounded = round(number)
    if abs(number - rounded) > 1e-6 and not from_fraction:
        raise CellValueError(f"'{shown}' is not a whole number; percent complete is a whole number 0-100.")
    return int(rounded)


def _key(value: object) -> str:
    return re.sub(r"[\s_\-/,()]+", " ", text(value).lower()).strip()


_STATUS = {
    ActionStatus.NOT_STARTED: ("not started", "not yet started", "ns", "new", "open", "to do", "todo",
                               "planned", "pending", "not begun"),
    ActionStatus.IN_PROGRESS: ("in progress", "progress", "ip", "ongoing", "on going", "started",
                               "underway", "under way", "wip", "work in progress", "active",
                               "in hand", "on track"),
    ActionStatus.AWAITING_SIGN_OFF: ("complete awaiting sign off", "complete", "completed", "done",
                                     "finished", "closed", "awaiting sign off", "for sign off",
                                     "awaiting signoff", "complete awaiting signoff", "achieved",
                                     "delivered"),
    ActionStatus.SIGNED_OFF: ("signed off", "signedoff", "signed-off", "closed signed off"),
    ActionStatus.DROPPED: ("dropped", "cancelled", "canceled", "withdrawn", "abandoned",
                           "no longer required", "not required", "stopped"),
}
STATUS_WORDS = {_key(w): s for s, words in _STATUS.items() for w in words} | {
    _key(s.label): s for s in ActionStatus} | {_key(s.value): s for s in ActionStatus}

_RAG = {
    RAG.RED: ("red", "r", "off track", "not on track", "off target", "at risk red"),
    RAG.AMBER: ("amber", "a", "yellow", "y", "orange", "at risk", "some risk"),
    RAG.GREEN: ("green", "g", "on track", "on target"),
}
RAG_WORDS = {_key(w): r for r, words in _RAG.items() for w in words}


def _word_key(value: object) -> str:
    """The lookup key of a status or RAG word; "" for text too long to be one."""
    s = text(value)
    return "" if len(s) > MAX_WORD_CHARS else _key(s)


def parse_status(value: object) -> ActionStatus | None:
    if is_blank(value):
        return None
    status = STATUS_WORDS.get(_word_key(value))
    if status is None:
        choices = ", ".join(s.label for s in ActionStatus if s is not ActionStatus.SIGNED_OFF)
        raise CellValueError(f"'{clip(text(value))}' is not a status; choose one of: {choices}.")
    return status


def parse_rag(value: object) -> RAG | None:
    if is_blank(value):
        return None
    rag = RAG_WORDS.get(_word_key(value))
    if rag is None:
        raise CellValueError(f"'{clip(text(value))}' is not a RAG rating; choose Red, Amber or Green.")
    return rag


def parse_codes(value: object) -> list[str]:
    """'VAWG, KCAP' / 'VAWG; KCAP' / one code per line: upper-case codes."""
    return [c.strip().upper() for c in re.split(r"[,;\n/]+", text(value)) if c.strip()]


def show(value: object) -> str:
    """A stored value as a person reads it: labels for enums, dd/mm/yyyy for dates."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, ActionStatus | RAG | Label):
        return value.label
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)
