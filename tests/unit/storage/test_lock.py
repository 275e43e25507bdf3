"""The plan lock: one holder at a time, released on close or death."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from salesplanner.storage.lock import PlanLock, fcntl

pytestmark = pytest.mark.skipif(fcntl is None, reason="POSIX flock")

HOLDER = """
import sys, time
from salesplanner.storage.lock import PlanLock
lock = PlanLock.try_acquire(sys.argv[1])
print("held" if lock else "busy", flush=True)
sys.stdin.readline()
"""


def test_second_process_cannot_take_the_lock_until_the_first_dies(tmp_path: Path) -> None:
    path = tmp_path / "p.salesplan"
    path.write_bytes(b"x")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert PlanLock.try_acquire(path) is None
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
        holder.stdin.close()
    lock = PlanLock.try_acquire(path)
    assert lock is not None and lock.held
    lock.release()
    assert not lock.held
