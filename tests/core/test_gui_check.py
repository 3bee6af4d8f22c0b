"""``vrboard gui`` where Qt cannot start (no display, a display nobody answers, missing
libraries) says what is missing and exits 1; before, Qt aborted the process (exit 134)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vrboard.guicheck import XCB_LIBS, gui_problem, missing_libraries

ROOT = Path(__file__).resolve().parents[2]


def _gui(tmp_path: Path, extra: dict[str, str], *cmd: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
           "HOME": str(tmp_path), "LANG": "C.UTF-8", **extra}  # nothing else: no DISPLAY
    command = list(cmd) or ["-m", "vrboard", "--db", str(tmp_path / "b.sqlite3"), "gui"]
    return subprocess.run([sys.executable, *command], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60)


def test_no_display_at_all(tmp_path: Path) -> None:
    done = _gui(tmp_path, {})
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert done.stderr.startswith("vrboard: vrboard gui needs a graphical desktop, and there is none "
                                  "here (DISPLAY and WAYLAND_DISPLAY are not set"), done.stderr
    assert "ssh -X" in done.stderr and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "b.sqlite3").exists()  # refused before anything was opened
    via_main = _gui(tmp_path, {}, str(ROOT / "main.py"))
    assert via_main.returncode == 1 and via_main.stderr == done.stderr


def test_a_display_nobody_answers(tmp_path: Path) -> None:
    done = _gui(tmp_path, {"DISPLAY": ":97"})
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "The X display ':97' cannot be reached" in done.stderr


def test_a_wayland_display_without_its_socket(tmp_path: Path) -> None:
    done = _gui(tmp_path, {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path)})
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert f"no socket at {tmp_path / 'wayland-9'}" in done.stderr


def test_missing_libraries_are_named_with_their_packages() -> None:
    libs = [*XCB_LIBS, ("libxcb-nonesuch.so.0", "libxcb-nonesuch0")]
    assert missing_libraries(libs) == [("libxcb-nonesuch.so.0", "libxcb-nonesuch0")]
    import vrboard.guicheck as g

    saved = g.XCB_LIBS
    g.XCB_LIBS = (("libxcb-cursor-gone.so.0", "libxcb-cursor0"),)
    try:
        problem = gui_problem({"DISPLAY": ":0"}, "linux")
    finally:
        g.XCB_LIBS = saved
    assert problem == ("Qt needs system libraries that are not installed: libxcb-cursor-gone.so.0. On "
                       "Debian or Ubuntu install them with:  sudo apt-get install libxcb-cursor0  "
                       "(other systems: the packages providing those files).")


def test_platforms_without_a_screen_and_other_systems_are_not_checked() -> None:
    assert gui_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert gui_problem({}, "win32") is None and gui_problem({}, "darwin") is None
    assert "WAYLAND_DISPLAY is not set" in (gui_problem({"QT_QPA_PLATFORM": "wayland",
                                                         "DISPLAY": ":0"}, "linux") or "")


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_a_working_x_display_passes(tmp_path: Path) -> None:
    read, write = os.pipe()  # Xvfb writes the display number it chose once it is ready
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write)
    try:
        with os.fdopen(read) as ready:
            number = ready.readline().strip()
        assert number, server.stderr.read().decode() if server.stderr else ""
        assert gui_problem({"DISPLAY": f":{number}"}, "linux") is None
    finally:
        server.terminate()
        server.communicate(timeout=10)
