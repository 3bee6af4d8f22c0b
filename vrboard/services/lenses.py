"""Disproportionality and domains as lenses (issue 15): the groups an action or indicator
addresses (tags such as "Age band: under 25"), indicator values by group, and counts of the
actions by domain and by tag for the pack and the annual report.

Rules:
- Only the secretariat and the chair make tags and tag actions and indicators
  (``EDIT_ACTIONS``, as for every other field of an action an owner does not progress).
- A tag is named by its group and its name, unique together ("Age band: under 25"); a tag in
  use is not deleted.
- A value by group belongs to a period already recorded for the indicator, and its group is a
  tag: the overall value comes first, its breakdown after.
- A link alone changes no column of the action or the indicator, so its version is bumped
  here (checked like any other save): a second person's stale copy is refused.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import ConflictError, NotFound, RuleViolation, ValidationError
from ..model import (
    Action,
    ActionStatus,
    Domain,
    Indicator,
    IndicatorGroupValue,
    Tag,
    action_tag,
    indicator_tag,
)
from . import common as c
from .audit import bind
from .context import Actor, Perm, require
from .links import find_action

# --- tags -------------------------------------------------------------------------------------


def list_tags(session: Session, actor: Actor) -> list[Tag]:
    require(actor, Perm.READ)
    return list(session.scalars(select(Tag).order_by(Tag.tag_group, Tag.position, Tag.name)))


def find_tag(session: Session, value: int | str) -> Tag:
    """A tag by id, or by "Group: name" (or its name alone, when only one group uses it)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return c.get(session, Tag, value, "tag")
    words = str(value or "").strip()
    group, _, name = words.rpartition(":")
    q = select(Tag).where(func.lower(Tag.name) == name.strip().lower())
    if group.strip():
        q = q.where(func.lower(Tag.tag_group) == group.strip().lower())
    found = list(session.scalars(q))
    if len(found) == 1:
        return found[0]
    known = "; ".join(t.label for t in session.scalars(select(Tag).order_by(Tag.tag_group, Tag.name)))
    if found:
        raise ValidationError(f"'{words}' names more than one tag ({', '.join(t.label for t in found)}); "
                              "write it as Group: name.", "tag")
    raise NotFound(f"There is no tag '{words}'. The tags are: {known or 'none yet'}.")


def add_tag(session: Session, actor: Actor, group: Any, name: Any, position: int = 0) -> Tag:
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    g = c.text(group, "tag group", required=True, max_len=60)
    n = c.text(name, "tag name", required=True, max_len=100)
    if ":" in g:
        raise ValidationError("A tag group cannot contain ':' (it separates the group from the name).",
                              "tag_group")
    clash = session.scalar(select(Tag).where(func.lower(Tag.tag_group) == g.lower(),
                                             func.lower(Tag.name) == n.lower()))
    if clash is not None:
        raise ValidationError(f"There is already a tag {clash.label}.", "name")
    tag = Tag(tag_group=g, name=n, position=position)
    session.add(tag)
    c.flush(session, tag)
    return tag


def delete_tag(session: Session, actor: Actor, tag: int | str) -> None:
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    t = find_tag(session, tag)
    used = [session.scalar(select(func.count()).select_from(tbl).where(tbl.c.tag_id == t.id)) or 0
            for tbl in (action_tag, indicator_tag)]
    used.append(session.scalar(select(func.count(IndicatorGroupValue.id))
                               .where(IndicatorGroupValue.tag_id == t.id)) or 0)
    if any(used):
        raise RuleViolation(f"{t.label} is in use ({used[0]} action(s), {used[1]} indicator(s), "
                            f"{used[2]} value(s) by group); remove it from them first.")
    session.delete(t)
    c.flush(session)


def find_domain(session: Session, value: int | str) -> Domain:
    """A domain by id, or by its name or the start of it ("Enforcement", "Preventing")."""
    if isinstance(value, int) and not isinstance(value, bool):
        return c.get(session, Domain, value, "domain")
    words = str(value or "").strip().lower()
    domains = list(session.scalars(select(Domain).order_by(Domain.position)))
    found = [d for d in domains if d.name.lower() == words] or [
        d for d in domains if words and d.name.lower().startswith(words)]
    if len(found) != 1:
        raise NotFound(f"'{value}' does not name one domain; the domains are: "
                       + "; ".join(d.name for d in domains) + ".")
    return found[0]


# --- tagging ----------------------------------------------------------------------------------

def _indicator(session: Session, indicator: int | str) -> Indicator:
    if isinstance(indicator, int) and not isinstance(indicator, bool):
        return c.get(session, Indicator, indicator, "indicator")
    code = str(indicator).strip()
    found = session.scalars(select(Indicator).where(func.lower(Indicator.code) == code.lower())).first()
    if found is None:
        raise NotFound(f"There is no indicator with code '{indicator}'.")
    return found


def _touch(session: Session, obj: Action | Indicator, what: str) -> None:
    """Flush a change of links (audited as the object's ``tags``) and bump its version."""
    cls = type(obj)
    old = obj.version
    c.flush(session, obj)
    done = session.execute(update(cls).where(cls.id == obj.id, cls.version == old)  # type: ignore[arg-type]
                           .values(version=old + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(f"{what} was changed by someone else while you were saving. Reload it "
                            "to see their change; nothing was overwritten.", cls.__tablename__, obj.id)
    set_committed_value(obj, "version", old + 1)


def _retag(session: Session, actor: Actor, obj: Action | Indicator, what: str, tags: list[Any],
           add: bool, version: int | None) -> None:
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    c.check_version(obj, version)
    found = [find_tag(session, t) for t in tags]
    if not found:
        raise ValidationError("Name at least one tag.", "tag")
    for t in found:
        if add and t in obj.tags:
            raise ValidationError(f"{what} is already tagged {t.label}.", "tag")
        if not add and t not in obj.tags:
            raise ValidationError(f"{what} is not tagged {t.label}.", "tag")
    for t in found:
        (obj.tags.append if add else obj.tags.remove)(t)
    _touch(session, obj, what)


def tag_action(session: Session, actor: Actor, action: int | str, *tags: Any,
               version: int | None = None) -> Action:
    a = find_action(session, action)
    _retag(session, actor, a, a.reference, list(tags), True, version)
    return a


def untag_action(session: Session, actor: Actor, action: int | str, *tags: Any,
                 version: int | None = None) -> Action:
    a = find_action(session, action)
    _retag(session, actor, a, a.reference, list(tags), False, version)
    return a


def tag_indicator(session: Session, actor: Actor, indicator: int | str, *tags: Any,
                  version: int | None = None) -> Indicator:
    ind = _indicator(session, indicator)
    _retag(session, actor, ind, f"Indicator {ind.code}", list(tags), True, version)
    return ind


def untag_indicator(session: Session, actor: Actor, indicator: int | str, *tags: Any,
                    version: int | None = None) -> Indicator:
    ind = _indicator(session, indicator)
    _retag(session, actor, ind, f"Indicator {ind.code}", list(tags), False, version)
    return ind


# --- values by group --------------------------------------------------------------------------

def set_group_value(session: Session, actor: Actor, indicator: int | str, period: str, tag: Any,
                    value: Any, note: Any = "") -> IndicatorGroupValue:
    """Record (or correct) one group's value for a period the indicator already has."""
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    ind = _indicator(session, indicator)
    t = find_tag(session, tag)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError("The value must be a number.", "value")
    row = next((v for v in ind.values if v.period == str(period).strip()), None)
    if row is None:
        have = ", ".join(v.period for v in ind.values) or "none yet"
        raise RuleViolation(f"Indicator {ind.code} has no value for {str(period).strip()}: record the "
                            f"overall value first (periods recorded: {have}).")
    mine = next((g for g in row.by_group if g.tag_id == t.id), None)
    if mine is None:
        mine = IndicatorGroupValue(tag=t, value=float(value))
        row.by_group.append(mine)
    else:
        mine.value = float(value)
    mine.note = c.text(note, "note", max_len=300)
    c.flush(session, mine)
    return mine


# --- counts by lens ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LensRow:
    """One domain's or one tag's actions: what the pack's compact table shows."""

    lens: str          # "Domain" or the tag's group
    name: str
    actions: int
    open: int
    overdue: int
    complete: int      # complete (awaiting sign-off) or signed off
    red: int


def lens_rows(session: Session, actions: list[Action], today: dt.date) -> tuple[LensRow, ...]:
    """Counts of ``actions`` (already filtered for the reader) by domain, then by tag. Dropped
    actions are left out; a domain or tag with no actions is listed with zeros."""
    live = [a for a in actions if a.status is not ActionStatus.DROPPED]
    ids = {a.id for a in live}
    tagged: dict[int, set[int]] = {}
    for aid, tid in session.execute(select(action_tag.c.action_id, action_tag.c.tag_id)):
        if aid in ids:
            tagged.setdefault(tid, set()).add(aid)

    def row(lens: str, name: str, mine: list[Action]) -> LensRow:
        return LensRow(lens, name, len(mine), sum(a.status.is_open for a in mine),
                       sum(a.is_overdue(today) for a in mine), sum(a.status.is_complete for a in mine),
                       sum(a.status.is_open and a.rag.value == "red" for a in mine))
    out = [row("Domain", d.name, [a for a in live if a.domain_id == d.id])
           for d in session.scalars(select(Domain).order_by(Domain.position, Domain.name))]
    out.append(row("Domain", "No domain recorded", [a for a in live if a.domain_id is None]))
    for t in session.scalars(select(Tag).order_by(Tag.tag_group, Tag.position, Tag.name)):
        out.append(row(t.tag_group, t.name, [a for a in live if a.id in tagged.get(t.id, set())]))
    return tuple(out)


def indicators_with_groups(session: Session) -> list[Indicator]:
    """Indicators with their tags, values and values by group loaded."""
    from ..model import IndicatorValue

    return list(session.scalars(select(Indicator).options(
        selectinload(Indicator.tags), selectinload(Indicator.workstream),
        selectinload(Indicator.values).selectinload(IndicatorValue.by_group)
        .selectinload(IndicatorGroupValue.tag)).order_by(Indicator.code)))
