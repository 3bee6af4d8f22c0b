"""The audit page: every change, filtered by person, record and date in SQL, paged as it scrolls."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from vrboard.model import AuditEntry, Channel
from vrboard.services import actions as act_svc
from vrboard.services import audit_log
from vrboard.services.audit_log import AuditFilter, record_label
from vrboard.services.queries import ActionFilter, list_actions
from vrboard.ui import audit_model
from vrboard.ui.audit_model import AuditModel
from vrboard.ui.pages.audit import AuditPage


@pytest.fixture
def page(qtbot, ctx) -> AuditPage:
    p = AuditPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.refresh_if_stale()  # what showing the page does (not shown: offscreen warns on top-level pages)
    return p


def _all_shown(p: AuditPage) -> list[AuditEntry]:
    while p.model.canFetchMore():
        p.model.fetchMore()
    return [p.model.entry(r) for r in range(p.model.rowCount())]


def test_the_model_passes_qtmodeltester(qtmodeltester, ctx):
    model = AuditModel(ctx)
    model.reload()
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_opens_with_the_newest_change_first_and_pages_in_batches(page, ctx, monkeypatch):
    with ctx.read() as s:
        total = audit_log.count(s, AuditFilter(), ctx.actor)
    assert total > audit_model.BATCH  # the demo board has more changes than one batch
    assert page.model.total == total
    assert page.model.rowCount() == audit_model.BATCH
    assert page.model.canFetchMore()
    rows = _all_shown(page)
    assert len(rows) == total
    stamps = [e.at for e in rows]
    assert stamps == sorted(stamps, reverse=True)
    assert page.count_label.text() == f"{total:,} changes"


def test_filter_by_person_record_and_text(page, ctx, qtbot):
    # a change made now, by the secretariat, to KC-007
    with ctx.db.transaction() as s:
        kc7 = list_actions(s, ActionFilter(search="KC-007"))[0]
        act_svc.update_action(s, ctx.actor, kc7.id, kc7.version, {"lead_organisation": "Audit Test Org"})
    page.refresh()

    page.record.setText("KC-007")
    qtbot.waitUntil(lambda: page.model.filter.record == "KC-007")
    rows = _all_shown(page)
    assert rows and all("kc-007" in e.entity_label.lower() for e in rows)

    page.text.setText("audit test org")
    qtbot.waitUntil(lambda: page.model.filter.text == "audit test org")
    rows = _all_shown(page)
    assert [(e.field, e.new_value, e.actor_name) for e in rows] == [
        ("lead_organisation", "Audit Test Org", "Ruth Kaplan")]

    page.clear_filters()
    page.person.setCurrentIndex(page.person.findData("Cllr Zoë Adeyemi"))
    page.apply_filter()
    rows = _all_shown(page)
    assert rows and {e.actor_name for e in rows} == {"Cllr Zoë Adeyemi"}


def test_filter_by_kind_of_record_and_channel(page):
    page.entity.setCurrentIndex(page.entity.findData("meeting"))
    page.channel.setCurrentIndex(page.channel.findData(Channel.SYSTEM))
    page.apply_filter()
    rows = _all_shown(page)
    assert rows and {e.entity for e in rows} == {"meeting"}
    assert {e.channel for e in rows} == {Channel.SYSTEM}


def test_filter_by_date_uses_local_days(page, ctx):
    today = dt.date.today()
    page.use_from.setChecked(True)
    page.date_from.setDate(QDate(today.year, today.month, today.day))
    page.apply_filter()
    with ctx.read() as s:
        assert page.model.total == audit_log.count(s, AuditFilter(), ctx.actor) > 0  # all made today
    page.use_from.setChecked(False)
    page.use_to.setChecked(True)
    yesterday = today - dt.timedelta(days=1)
    page.date_to.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    page.apply_filter()
    assert page.model.total == 0
    assert page.count_label.text() == "0 changes"


def test_sorting_happens_in_sql(page, ctx):
    page.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # Who
    assert page.model.sort_key == "actor" and not page.model.descending
    rows = _all_shown(page)
    names = [e.actor_name for e in rows]
    assert names == sorted(names)


def test_selecting_a_change_shows_it_in_full(page):
    page.view.selectRow(0)
    e = page.model.entry(0)
    assert e.actor_name in page.detail.toPlainText()
    assert record_label(e.entity, e.entity_label, e.entity_id) in page.detail.toPlainText()


def test_open_target_shows_one_records_history(page, ctx):
    with ctx.read() as s:
        kc7 = list_actions(s, ActionFilter(search="KC-007"))[0]
    page.open_target({"entity": "action", "entity_id": kc7.id})
    rows = _all_shown(page)
    assert rows and {(e.entity, e.entity_id) for e in rows} == {("action", kc7.id)}
    page.clear_filters()
    assert page.model.filter == AuditFilter()


def test_like_wildcards_are_taken_literally(ctx):
    with ctx.read() as s:
        assert audit_log.count(s, AuditFilter(record="%"), ctx.actor) == 0
        everything = audit_log.count(s, AuditFilter(), ctx.actor)
        assert audit_log.count(s, AuditFilter(text="_"), ctx.actor) <= everything


def test_values_read_as_a_person_reads_them():
    assert audit_model.value_text("2026-03-31") == "31/03/2026"
    assert audit_model.value_text('{"title": "X", "due_date": "2026-01-02"}') == \
        "Title: X; Due date: 02/01/2026"
    assert audit_model.field_label("percent_complete") == "Percent complete"


def test_records_without_a_name_read_by_type_and_number() -> None:
    """The audit once showed "Minute Minute 21", "IndicatorValue 42", "Agenda item id: 32"."""
    from vrboard.services.audit import _label
    from vrboard.services.audit_log import record_label
    from vrboard.ui.audit_model import value_text

    assert _label("IndicatorValue", lambda _a: None, 42) == "Indicator value 42"
    assert record_label("minute", "Minute 21", 21) == "#21"
    assert record_label("indicator_value", "Indicator value 42", 42) == "#42"
    assert record_label("action", "KC-007", 7) == "KC-007"
    assert value_text('{"agenda_item_id": "32", "due": "2027-03-31"}') == "Agenda item: #32; Due: 31/03/2027"


def test_counts_read_in_the_singular() -> None:
    from vrboard.ui.meetings.common import plural

    assert plural(1, "item") == "1 item" and plural(2, "item") == "2 items"
    assert plural(1200, "minute") == "1,200 minutes"
