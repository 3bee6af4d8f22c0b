"""``python -m vrboard.ui.setup_screenshots OUTDIR``: PNGs of the set-up path (issue 12).

On the demo board, as the secretariat: the Board page with the terms of reference, the
member, plan, domains, indicator, meeting, agenda item, forward plan and planned-item
dialogs, each grabbed offscreen at the size it opens with, and the Meetings, Plans and
Indicators pages in the main window at 1280x800.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import shots


def take(out_dir: Path) -> list[Path]:
    return shots.take(out_dir, "setup", ("board", "plans", "indicators", "meetings"), _dialogs)


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
    return shots.main("vrboard.ui.setup_screenshots", take, argv)


if __name__ == "__main__":
    sys.exit(main())
