"""``python -m vrboard.ui.edit_screenshots OUTDIR``: PNGs of the editing added to the Reviews,
Duty and Community pages (issue 15).

On the demo board, as the secretariat: the three pages in the main window at 1280x800 with
their buttons, and their main dialogs, each grabbed offscreen at the size it opens with.
"""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SIZE = (1280, 800)


def take(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from ..demo import build_demo
    from ..model import Channel
    from ..seed import init_board
    from ..services.context import actor_for, find_person
    from ..store import open_database
    from .context import AppContext
    from .main_window import MainWindow
    from .style import apply_style

    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    apply_style(app, dark=False)
    saved: list[Path] = []

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def grab(widget: QWidget, name: str) -> None:
        settle()
        path = out_dir / f"edit-{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        try:
            with db.transaction() as s:
                init_board(s, "")
                build_demo(s, "")
            with db.session() as s:
                person = find_person(s, "rkaplan")
                assert person is not None
                actor = actor_for(person, Channel.APP)
            ctx = AppContext(db, actor)
            window = MainWindow(ctx, QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
            window.resize(*SIZE)
            window.show()
            for key in ("reviews", "duty", "community"):
                window.show_page(key)
                grab(window, f"page-{key}")
            for name, make in _dialogs(ctx, window).items():
                dialog = make()
                dialog.show()
                grab(dialog, name)
                dialog.close()
                dialog.deleteLater()
            window.close()
            window.deleteLater()
            settle()
        finally:
            db.close()
    return saved


def _dialogs(ctx: Any, window: Any) -> dict[str, Callable[[], Any]]:
    from sqlalchemy import select

    from ..model import CommunitySession, CommunityTheme, NeedsFinding, Recommendation, Review, YouthAsk
    from .dialogs import community as cd
    from .dialogs import review as rd
    from .dialogs.duty import DutyDialog

    with ctx.read() as s:
        review = s.scalars(select(Review).order_by(Review.id)).first()
        rec = s.scalars(select(Recommendation).where(Recommendation.response_reason != "")
                        .order_by(Recommendation.id)).first() or \
            s.scalars(select(Recommendation).order_by(Recommendation.id)).first()
        theme = s.scalars(select(CommunityTheme).order_by(CommunityTheme.id)).first()
        ask = s.scalars(select(YouthAsk).order_by(YouthAsk.id)).first()
        finding = s.scalars(select(NeedsFinding).order_by(NeedsFinding.id)).first()
        conv = s.scalars(select(CommunitySession).order_by(CommunitySession.held_on.desc())).first()
        ids = {"conv": conv.id, "review": review.id, "rec": rec.id, "theme": theme.id, "ask": ask.id,
               "finding": finding.id}

    def link_theme() -> Any:
        dialog = cd.LinkActionsDialog(ctx, "theme", ids["theme"], window)
        return dialog

    return {
        "review": lambda: rd.ReviewDialog(ctx, window, ids["review"]),
        "recommendation": lambda: rd.RecommendationDialog(ctx, window, rec_id=ids["rec"]),
        "respond": lambda: rd.RespondDialog(ctx, ids["rec"], window),
        "state": lambda: rd.StateDialog(ctx, ids["rec"], window),
        "link-action": lambda: rd.LinkRecActionDialog(ctx, ids["rec"], window),
        "duty": lambda: DutyDialog(ctx, window),
        "conversation": lambda: cd.SessionDialog(ctx, window),
        "community-session-edit": lambda: cd.SessionDialog(ctx, window, ids["conv"]),
        "member": lambda: cd.MemberDialog(ctx, window),
        "workshop": lambda: cd.WorkshopDialog(ctx, window),
        "theme": lambda: cd.ThemeDialog(ctx, window),
        "theme-response": lambda: cd.ThemeResponseDialog(ctx, ids["theme"], window),
        "theme-actions": link_theme,
        "youth-session": lambda: cd.YouthSessionDialog(ctx, window),
        "youth-ask": lambda: cd.AskDialog(ctx, window),
        "youth-reply": lambda: cd.AskReplyDialog(ctx, ids["ask"], window),
        "needs-assessment": lambda: cd.AssessmentDialog(ctx, window),
        "needs-finding": lambda: cd.FindingDialog(ctx, window),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m vrboard.ui.edit_screenshots OUTDIR", file=sys.stderr)
        return 2
    for path in take(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
