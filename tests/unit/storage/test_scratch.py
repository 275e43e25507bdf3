"""Scratch folders left in the temporary folder by killed runs are removed at start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from salesplanner.storage import scratch

DAY = 24 * 3600


def _dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _folder(temp: Path, name: str, age_s: float = 0) -> Path:
    folder = temp / name
    folder.mkdir()
    (folder / "stage.sqlite").write_bytes(b"x" * 1000)
    if age_s:
        when = time.time() - age_s
        for path in (folder / "stage.sqlite", folder):
            os.utime(path, (when, when))
    return folder


def test_only_folders_of_gone_processes_and_old_unowned_ones_are_removed(tmp_path: Path) -> None:
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = _folder(tmp_path, f"salesplanner-staging-p{_dead_pid()}-abcd1234")
        mine = _folder(tmp_path, f"salesplanner-staging-p{os.getpid()}-abcd1234", age_s=9 * DAY)
        running = _folder(tmp_path, f"salesplanner-recover-p{alive.pid}-zz_y0000")
        old = _folder(tmp_path, "salesplanner-staging-k3j2h1g0", age_s=2 * DAY)
        old_upgrade = _folder(tmp_path, "salesplanner-a1b2c3d4", age_s=2 * DAY)
        recent = _folder(tmp_path, "salesplanner-recover-k3j2h1g0", age_s=3600)
        in_use = _folder(tmp_path, "salesplanner-recover-inuse000", age_s=2 * DAY)
        someone_elses = _folder(tmp_path, "salesplanner-notes", age_s=9 * DAY)
        (tmp_path / "salesplanner-staging-p1-file").write_text("not a folder")
        with (in_use / "stage.sqlite").open("rb"):  # a plan read from it right now
            removed = scratch.remove_stale(tmp_path)
    finally:
        alive.kill()
        alive.wait()
    # Where the system cannot tell which files are open (no /proc), the age decides.
    expected = [dead, old, old_upgrade] + ([] if Path("/proc").is_dir() else [in_use])
    assert sorted(removed) == sorted(expected)
    assert all(not f.exists() for f in expected)
    assert all(f.exists() for f in (mine, running, recent, someone_elses))
    assert (tmp_path / "salesplanner-staging-p1-file").exists()


def test_a_process_that_was_killed_leaves_nothing_after_the_next_start(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    killed = subprocess.run(
        [sys.executable, "-c", "import os\nfrom salesplanner.storage.scratch import make_folder\n"
         "folder = make_folder('staging')\n(folder / 'stage.sqlite').write_bytes(b'x' * 10**6)\n"
         "print(folder.name)\nos._exit(9)"], env=env, capture_output=True, text=True)
    left = tmp_path / killed.stdout.strip()
    assert left.name.startswith("salesplanner-staging-p") and left.is_dir()
    started = subprocess.run([sys.executable, "-m", "salesplanner", "import", "--fields", "sales"],
                             env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    assert not left.exists()


def test_a_new_folder_names_its_process() -> None:
    folder = scratch.make_folder("staging")
    try:
        assert folder.name.startswith(f"salesplanner-staging-p{os.getpid()}-")
        assert not scratch.stale(folder)
        assert scratch.process_alive(os.getpid()) and not scratch.process_alive(_dead_pid())
    finally:
        folder.rmdir()
