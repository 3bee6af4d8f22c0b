"""``python -m vrboard.ui.edit_screenshots OUTDIR``: PNGs of the editing added to the Reviews,
Duty and Community pages (issue 15).

On the demo board, as the secretariat: the three pages in the main window at 1280x800 with
their buttons, and their main dialogs, each grabbed offscreen at the size it opens with.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import shots


def take(out_dir: Path) -> list[Path]:
    return shots.take(out_dir, "edit", ("reviews", "duty", "community"), _dialogs)


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
    return shots.main("vrboard.ui.edit_screenshots", take, argv)


if __name__ == "__main__":
    sys.exit(main())
