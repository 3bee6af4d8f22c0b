"""``python -m vrboard.ui.screenshots OUTDIR``: a PNG of each main page, for the README.

Builds the demo board in a temporary folder, opens the main window offscreen at 1280x800
as the board secretariat, and grabs every page (plus the dashboard and actions in the dark
palette, and the dashboard, actions and meetings at 1024x700).
"""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SIZE = (1280, 800)
SMALL = (1024, 700)  # a small laptop: these pages are also shown at this size
SMALL_PAGES = ("dashboard", "actions", "meetings")


def take(out_dir: Path, who: str = "rkaplan") -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

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
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        try:
            with db.transaction() as s:
                init_board(s, "")
                build_demo(s, "")
            with db.session() as s:
                person = find_person(s, who)  # the demo board as that person sees it
                assert person is not None, f"nobody called {who!r} on the demo board"
                actor = actor_for(person, Channel.APP)
            for dark in (False, True):
                apply_style(app, dark=dark)
                settings = QSettings(str(Path(tmp) / f"settings-{dark}.ini"), QSettings.Format.IniFormat)
                ctx = AppContext(db, actor)
                window = MainWindow(ctx, settings)
                window.resize(*SIZE)
                window.show()
                keys = window.page_keys() if not dark else ["dashboard", "actions"]
                for key in keys:
                    if key not in window.page_keys():
                        continue
                    window.show_page(key)
                    target = _TARGETS.get(key)
                    if target is not None:
                        window.current_page().open_target(target(db))
                    for _ in range(3):
                        app.processEvents()
                    path = out_dir / (f"{key}-dark.png" if dark else f"{key}.png")
                    window.grab().save(str(path))
                    saved.append(path)
                if not dark:
                    window.resize(*SMALL)
                    for key in SMALL_PAGES:
                        if key in window.page_keys():
                            window.show_page(key)
                            for _ in range(3):
                                app.processEvents()
                            path = out_dir / f"{key}-1024.png"
                            window.grab().save(str(path))
                            saved.append(path)
                window.close()
                window.deleteLater()
                app.processEvents()
        finally:
            db.close()
    apply_style(app, dark=False)
    return saved


def _awaiting_action(db: Any) -> dict[str, int]:
    """An action with a progress history, awaiting the chair: shows the detail panel at work."""
    from sqlalchemy import select

    from ..model import Action, ActionStatus

    with db.session() as s:
        ident = s.scalars(select(Action.id).where(Action.status == ActionStatus.AWAITING_SIGN_OFF)
                          .order_by(Action.reference)).first()
    return {"action_id": ident} if ident is not None else {}


def _held_meeting(db: Any) -> dict[str, Any]:
    from sqlalchemy import select

    from ..model import Meeting, MeetingStatus

    with db.session() as s:
        ident = s.scalars(select(Meeting.id).where(Meeting.status == MeetingStatus.HELD)
                          .order_by(Meeting.starts_at.desc())).first()
    return {"meeting_id": ident, "tab": "minutes"} if ident is not None else {}


# Pages shown at work rather than empty: what each one opens before its picture is taken.
_TARGETS = {"actions": _awaiting_action, "meetings": _held_meeting}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m vrboard.ui.screenshots OUTDIR", file=sys.stderr)
        return 2
    for path in take(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
