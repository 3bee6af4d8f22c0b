"""The quorum: a number of voting members, or a fraction of them ("one third", "half").

Terms of reference often say "the quorum is one third of the voting members". A fraction is
stored as text, "1/3", on the board (its terms of reference) and on each meeting (copied when
it is scheduled, so changing the terms later leaves past meetings as they were). The number
needed is the fraction of the voting members on the day of the meeting, rounded up, and
never fewer than one.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import AttendanceStatus, BoardRole, Meeting

_WORDS = {
    "half": Fraction(1, 2), "a half": Fraction(1, 2), "one half": Fraction(1, 2),
    "third": Fraction(1, 3), "a third": Fraction(1, 3), "one third": Fraction(1, 3),
    "two thirds": Fraction(2, 3), "quarter": Fraction(1, 4), "a quarter": Fraction(1, 4),
    "one quarter": Fraction(1, 4), "three quarters": Fraction(3, 4),
    "one fifth": Fraction(1, 5), "two fifths": Fraction(2, 5),
}
_NAMES = {v: k for k, v in _WORDS.items() if k.split()[0] in ("one", "two", "three")}
_NAMES[Fraction(1, 2)] = "half"
# The fractions the app offers in its list.
COMMON = ("1/2", "1/3", "2/3", "1/4", "3/4")


def parse_fraction(text: str) -> str:
    """'one third', '1/3', '33%', 'half' -> '1/3' (or '1/2'); '' stays ''. Refuses anything
    that is not a fraction between 0 and 1, saying what it expects."""
    t = re.sub(r"\s+", " ", str(text).strip().lower().replace("-", " "))
    t = re.sub(r"^(of )|( of (the )?(voting )?members)$", "", t).strip()
    if not t:
        return ""
    value: Fraction | None = _WORDS.get(t)
    try:
        if value is None and t.endswith("%"):
            value = Fraction(t[:-1].strip()) / 100
        elif value is None:
            value = Fraction(t.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None or not 0 < value <= 1:
        raise ValidationError(
            f"'{text}' is not a fraction of the voting members: write it as 1/3, 'one third', "
            "'half' or 50%.", "quorum_fraction")
    return f"{value.numerator}/{value.denominator}"


def fraction_name(fraction: str) -> str:
    """'1/3' -> 'one third'; '3/8' -> '3/8'."""
    if not fraction:
        return ""
    value = Fraction(fraction)
    return _NAMES.get(value, fraction)


def required(number: int, fraction: str, voting: int) -> int:
    """How many must be present: ``number``, or ``fraction`` of ``voting`` members rounded up
    (at least one)."""
    if not fraction:
        return number
    return max(1, math.ceil(Fraction(fraction) * voting))


def describe_rule(number: int, fraction: str) -> str:
    """'3 voting members' or 'one third of the voting members'."""
    if fraction:
        return f"{fraction_name(fraction)} of the voting members"
    return f"{number} voting member{'s' if number != 1 else ''}"


@dataclass(frozen=True)
class Quorum:
    present: int
    required: int
    # "one third of 8 voting members" when the quorum is a fraction; "" for a number.
    rule: str = ""

    @property
    def met(self) -> bool:
        return self.present >= self.required

    def describe(self) -> str:
        """'4 needed; 6 present (quorate)', or '3 needed (one third of 8 voting members); …'."""
        state = "quorate" if self.met else "NOT quorate"
        rule = f" ({self.rule})" if self.rule else ""
        return f"{self.required} needed{rule}; {self.present} present ({state})"


def quorum(session: Session, meeting: Meeting) -> Quorum:
    """The people in the room who count: voting members present, and substitutes standing in
    for absent voting members. Each person counts once, however they are recorded. A quorum
    set as a fraction is that fraction of the voting members on the day, rounded up."""
    on = meeting.starts_at.date()
    from .board import the_board

    board = the_board(session)
    voting = {m.person_id for m in board.memberships
              if m.is_current(on) and m.voting and m.role is not BoardRole.SECRETARIAT}
    counted: set[int] = set()
    for a in meeting.attendance:
        if a.person_id not in voting:
            continue
        if a.status is AttendanceStatus.PRESENT:
            counted.add(a.person_id)
        elif a.substitute_id is not None:
            counted.add(a.substitute_id)
    if not meeting.quorum_fraction:
        return Quorum(len(counted), meeting.quorum)
    rule = describe_rule(meeting.quorum, meeting.quorum_fraction).replace(
        "the voting members", f"{len(voting)} voting member{'s' if len(voting) != 1 else ''}")
    return Quorum(len(counted), required(meeting.quorum, meeting.quorum_fraction, len(voting)),
                  rule)
