"""``python -m vrboard.ui.setup_screenshots OUTDIR``: PNGs of the set-up path (issue 12).

On the demo board, as the secretariat: the Board page with the terms of reference, the
member, plan, domains, indicator, meeting, agenda item, forward plan and planned-item
dialogs, each grabbed offscreen at the size it opens with, and the Meetings, Plans and
Indicators pages in the main window at 1280x800.
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
        path = out_dir / f"setup-{name}.png"
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
            for key in ("board", "plans", "indicators", "meetings"):
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

    from ..model import Meeting, MeetingStatus
    from ..services.meeting_views import meeting_detail
    from .board.dialogs import MemberDialog
    from .board.terms_dialog import TermsDialog
    from .dialogs.domains import DomainsDialog
    from .dialogs.plan import PlanDialog
    from .indicators.indicator_dialog import IndicatorDialog
    from .meetings.forward_plan import ForwardPlanDialog, PlannedItemDialog
    from .meetings.item_dialog import ItemDialog
    from .meetings.meeting_dialog import MeetingDialog

    with ctx.read() as s:
        planned = s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.PLANNED)).first()
        assert planned is not None
        detail = meeting_detail(s, planned.id, ctx.actor)
        label = planned.label

    def item() -> Any:
        dialog = ItemDialog(ctx, window, detail.id, detail.items[0])
        return dialog

    def forward() -> Any:
        dialog = ForwardPlanDialog(ctx, window)
        dialog.table.selectRow(0)
        return dialog

    return {
        "terms": lambda: TermsDialog(ctx, window),
        "member": lambda: MemberDialog(ctx, window),
        "plan": lambda: PlanDialog(ctx, window, "VAWG"),
        "domains": lambda: DomainsDialog(ctx, window),
        "indicator": lambda: IndicatorDialog(ctx, window),
        "meeting": lambda: MeetingDialog(ctx, window),
        "agenda-item": item,
        "forward-plan": forward,
        "planned-item": lambda: PlannedItemDialog(ctx, window, [(detail.id, label)], detail.id),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m vrboard.ui.setup_screenshots OUTDIR", file=sys.stderr)
        return 2
    for path in take(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
