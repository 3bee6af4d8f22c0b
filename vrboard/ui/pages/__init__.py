"""The page registry: which pages the main window shows, in which order, with which shortcut.

Each page lives in its own module here and is imported only when the window first shows
it, so start-up pays for one page, not eight. A page module that is not present in this
build is simply left out of the navigation (``available_specs``).
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..page import Page


@dataclass(frozen=True)
class PageSpec:
    key: str  # the module name; also the name used by the navigation contract ("actions")
    title: str
    class_name: str
    shortcut: str
    icon: str
    tip: str

    @property
    def module(self) -> str:
        return f"{__name__}.{self.key}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", "Dashboard", "DashboardPage", "Ctrl+1", "dashboard.svg",
             "What is late, what is due and what needs a decision"),
    PageSpec("board", "Board", "BoardPage", "Ctrl+2", "board.svg",
             "Members, roles and terms"),
    PageSpec("meetings", "Meetings", "MeetingsPage", "Ctrl+3", "meetings.svg",
             "Agendas, attendance, declarations and minutes"),
    PageSpec("workstreams", "Workstreams", "WorkstreamsPage", "Ctrl+4", "workstreams.svg",
             "The eight workstreams and their actions"),
    PageSpec("actions", "Actions", "ActionsPage", "Ctrl+5", "actions.svg",
             "Every action, its progress and sign-off"),
    PageSpec("plans", "Plans", "PlansPage", "Ctrl+6", "plans.svg",
             "The plans that actions deliver"),
    PageSpec("indicators", "Indicators", "IndicatorsPage", "Ctrl+7", "indicators.svg",
             "Targets and values by period"),
    PageSpec("audit", "Audit", "AuditPage", "Ctrl+8", "audit.svg",
             "Every change: who, what and when"),
    PageSpec("reviews", "Reviews", "ReviewsPage", "Ctrl+9", "reviews.svg",
             "Reviews of services and the case review: recommendations and their actions"),
    PageSpec("community", "Community", "CommunityPage", "Ctrl+0", "community.svg",
             "Community conversations, themes, the youth panel and the needs assessment"),
    PageSpec("duty", "Duty", "DutyPage", "Ctrl+Shift+D", "duty.svg",
             "The Serious Violence Duty: local definition, needs assessment, strategy and review"),
)


def spec(key: str) -> PageSpec:
    for s in PAGES:
        if s.key == key:
            return s
    raise KeyError(key)


def module_present(s: PageSpec) -> bool:
    return importlib.util.find_spec(s.module) is not None


def available_specs() -> list[PageSpec]:
    """The pages this build has, in navigation order (a cheap check: nothing is imported)."""
    return [s for s in PAGES if module_present(s)]


def page_class(s: PageSpec) -> type[Page]:
    """Import the page's module and return its class."""
    module = importlib.import_module(s.module)
    cls: type[Page] = getattr(module, s.class_name)
    return cls
