"""Helpers for tests about files: fingerprints and the files beside a plan."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    """Names of everything in the plan's folder other than the plan itself."""
    return sorted(p.name for p in path.parent.iterdir() if p != path)
