"""Recent files: most recent first, no duplicates, missing files pruned."""

from __future__ import annotations

from pathlib import Path

from salesplanner.recent_files import RecentFiles


def test_order_dedup_limit_and_prune(tmp_path: Path) -> None:
    files = [tmp_path / f"p{i}.salesplan" for i in range(5)]
    for f in files:
        f.write_text("x")
    recent = RecentFiles(limit=3)
    for f in files[:4]:
        recent.add(f)
    recent.add(files[1])
    assert recent.paths() == [str(files[1]), str(files[3]), str(files[2])]
    files[3].unlink()
    assert recent.existing() == [str(files[1]), str(files[2])]
    restored = RecentFiles(recent.paths() + [str(files[1])], limit=3)
    assert restored.paths() == [str(files[1]), str(files[2])]
