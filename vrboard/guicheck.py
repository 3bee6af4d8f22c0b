"""Before Qt starts: is there a screen to show the app on, and the system libraries Qt needs?

Qt does not fail politely. With no display (an SSH session, a server, DISPLAY and
WAYLAND_DISPLAY unset), or without a library its X11 plugin needs (``libxcb-cursor0`` is
missing on many fresh Debian and Ubuntu installs), it prints a few lines about plugins and
aborts the process with exit code 134. ``gui_problem()`` finds these first, without loading
Qt, and says what is missing and how to install it; ``vrboard gui`` and ``main.py`` refuse
with that message (exit 1).

Checks, on Linux and the BSDs only (Windows and macOS always have their platform plugin):
- QT_QPA_PLATFORM naming a platform without a screen (offscreen, minimal, vnc...): nothing
  to check.
- X11 (DISPLAY): the libraries of Qt's xcb plugin can be loaded (the same list as the
  Makefile's ``check-qt-libs``), and libxcb can connect to the display.
- Wayland (WAYLAND_DISPLAY): its libraries load and its socket exists.
Qt tries Wayland first when both are set, then X11, so either working is enough.
"""
from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import VrboardError

#: (shared library, Debian/Ubuntu package): what Qt's X11 (xcb) plugin loads. Keep in step
#: with QT_LIBS in the Makefile.
XCB_LIBS: tuple[tuple[str, str], ...] = (
    ("libxcb.so.1", "libxcb1"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libEGL.so.1", "libegl1"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
)
WAYLAND_LIBS: tuple[tuple[str, str], ...] = (
    ("libwayland-client.so.0", "libwayland-client0"),
    ("libwayland-cursor.so.0", "libwayland-cursor0"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libEGL.so.1", "libegl1"),
    ("libfontconfig.so.1", "libfontconfig1"),
)
HEADLESS_PLATFORMS = {"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"}


class NoDisplay(VrboardError):
    """The desktop app cannot start here; the message says what is missing."""


def missing_libraries(libs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (library, package) pairs that cannot be loaded."""
    out = []
    for lib, package in libs:
        try:
            ctypes.CDLL(lib)
        except OSError:
            out.append((lib, package))
    return out


def x11_reachable(display: str) -> bool:
    """Whether libxcb can connect to ``display`` (the way Qt will)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return False
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(os.fsencode(display), None)
    if not conn:
        return False
    try:
        return xcb.xcb_connection_has_error(conn) == 0
    finally:
        xcb.xcb_disconnect(conn)


def wayland_socket(env: Mapping[str, str]) -> Path | None:
    name = env.get("WAYLAND_DISPLAY", "")
    if not name:
        return None
    path = Path(name)
    if not path.is_absolute():
        path = Path(env.get("XDG_RUNTIME_DIR", "")) / name
    return path


def _install(missing: list[tuple[str, str]]) -> str:
    libs = ", ".join(lib for lib, _ in missing)
    packages = " ".join(dict.fromkeys(pkg for _, pkg in missing))
    return (f"Qt needs system libraries that are not installed: {libs}. On Debian or Ubuntu "
            f"install them with:  sudo apt-get install {packages}  (other systems: the packages "
            "providing those files).")


def gui_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why the desktop app cannot start here, or None when it can (as far as can be told
    without starting Qt)."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if qpa in HEADLESS_PLATFORMS:
        return None
    display, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    want_x11 = qpa in ("", "xcb") and bool(display)
    want_wayland = qpa in ("", "wayland", "wayland-egl") and bool(wayland)
    if not want_x11 and not want_wayland:
        if qpa not in ("", "xcb", "wayland", "wayland-egl"):
            return None  # a platform we do not know: let Qt try it
        needed = {"xcb": "DISPLAY", "wayland": "WAYLAND_DISPLAY", "wayland-egl": "WAYLAND_DISPLAY"}
        unset = needed.get(qpa, "DISPLAY and WAYLAND_DISPLAY are")
        return (f"vrboard gui needs a graphical desktop, and there is none here ({unset}"
                f"{' is' if qpa else ''} not set: an SSH session or a server?). Start it from a "
                "desktop session, or connect with 'ssh -X' to show it on your own screen. "
                "Everything else works without one: see 'vrboard --help'.")
    problems = []
    if want_wayland:
        missing = missing_libraries(WAYLAND_LIBS)
        sock = wayland_socket(env)
        if not missing and sock is not None and sock.exists():
            return None
        # an unreachable display first: installing libraries would not make it appear
        problems.append(f"The Wayland display '{wayland}' cannot be reached (no socket at {sock})."
                        if sock is None or not sock.exists() else _install(missing))
    if want_x11:
        missing = missing_libraries(XCB_LIBS)
        if missing:
            problems.append(_install(missing))
        elif not x11_reachable(display):
            problems.append(f"The X display '{display}' cannot be reached: no X server answers "
                            "there, or it refused this user. Check DISPLAY (and, over SSH, that "
                            "X forwarding is on: 'ssh -X').")
        else:
            return None
    return " ".join(dict.fromkeys(problems)) or None


def require_gui() -> None:
    problem = gui_problem()
    if problem is not None:
        raise NoDisplay(problem)
