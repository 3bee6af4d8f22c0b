"""The pack's community section, by text extraction: the engagement figures (members trained
against the target of 30), the conversations, "you said, we did" for themes and the youth
panel, and the needs assessment's findings with their actions; the public pack shows the same
(nothing here is exempt) and names no trained member."""
from __future__ import annotations

from vrboard.model import TrainedMember
from vrboard.services import community as cm
from vrboard.services import needs as nd
from vrboard.services import youth_panel as yp
from vrboard.services.context import SYSTEM

from .conftest import outline_titles

TITLE = "Community, youth panel and needs assessment"


def _section(doc) -> str:
    top = [(t, p) for level, t, p in outline_titles(doc.reader) if level == 0]
    names = [t for t, _ in top]
    start = dict(top)[TITLE]
    end = dict(top)[names[names.index(TITLE) + 1]]
    return " ".join("\n".join(doc.pages[start - 1:end]).split())


def _words(text: str, n: int = 6) -> str:
    return " ".join(text.split()[:n])


def _check(doc, db) -> str:
    text = _section(doc)
    with db.session() as s:
        f = cm.engagement(s)
        assert f"{f.sessions} sessions, {f.people} people taking part" in text
        assert f"{f.trained} of the target of 30 ({30 - f.trained} still to train)" in text
        assert f"{f.workshops} held, {f.workshop_people} people" in text
        assert f"{f.youth_sessions} sessions, {f.youth_people} young people" in text
        for x in cm.list_sessions(s, SYSTEM):
            assert _words(x.place, 3) in text
        for t in cm.list_themes(s, SYSTEM):
            assert _words(t.title) in text and f"{len(t.sessions)} session" in text
            for q in t.quote_list:
                assert _words(q, 4) in text
            if t.response:
                assert _words(t.response) in text
            for a in t.actions:
                assert a.reference in text
        for x in yp.list_sessions(s, SYSTEM):
            for q in x.asks:
                assert _words(q.raised) in text and (not q.reply or _words(q.reply) in text)
        for a in nd.list_assessments(s, SYSTEM):
            assert a.title in text
            for finding in a.findings:
                assert _words(finding.text) in text
                for act in finding.actions:
                    assert act.reference in text
        for m in s.query(TrainedMember):
            assert m.name not in text  # the pack counts them; it does not name them
    return text


def test_the_full_pack_shows_each_strand(docs, demo_file_db) -> None:
    text = _check(docs["pack"], demo_file_db)
    assert "You said, we did: community conversations" in text
    assert "You said, we did: youth panel" in text
    assert "Not yet" in text  # an open theme or ask has no "we did" yet
    children = [t for level, t, _ in outline_titles(docs["pack"].reader) if level == 1]
    for title in ("Community engagement", "Community conversations", "Strategic needs assessment"):
        assert title in children


def test_the_public_pack_shows_the_same(docs, demo_file_db) -> None:
    text = _check(docs["pack_public"], demo_file_db)
    assert "You said, we did: youth panel" in text and "Strategic needs assessment" in text
