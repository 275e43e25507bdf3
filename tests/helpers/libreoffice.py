"""Recalculate a workbook in LibreOffice (headless) and read back every value.

LibreOffice keeps the values cached in a file unless told to recalculate, so
each run uses a fresh profile whose settings say "always recalculate on load"
for Excel and OpenDocument files; and because ``soffice`` can exit with
status 0 having written nothing, the converted file is checked to exist.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def convert(source: Path, folder: Path, target: str = "xlsx") -> Path:
    """``source`` opened, recalculated and saved by LibreOffice as ``target``
    (``xlsx``, ``pdf`` ...) in ``folder``; returns the new file."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = folder / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_SETTINGS, encoding="utf-8")
    out_dir = folder / "lo-out"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"{source.stem}.{target}"
    if out.exists():
        out.unlink()
    filter_name = {"xlsx": 'xlsx:"Calc MS Excel 2007 XML"', "pdf": "pdf"}.get(target, target)
    done = subprocess.run(
        [SOFFICE, "--headless", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation={profile.resolve().as_uri()}",
         "--convert-to", filter_name.replace('"', ""), "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=300, check=False)
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(f"LibreOffice wrote nothing (exit {done.returncode}): "
                           f"{done.stdout} {done.stderr}")
    return out


def recalculated_values(source: Path, folder: Path) -> dict[tuple[str, str], object]:
    """Every cell's value after LibreOffice recalculated ``source``."""
    book = openpyxl.load_workbook(convert(source, folder), data_only=True)
    return {(ws.title, cell.coordinate): cell.value
            for ws in book.worksheets for row in ws.iter_rows() for cell in row
            if cell.value is not None}


def mismatches(expected: dict[tuple[str, str], object],
               values: dict[tuple[str, str], object]) -> list[str]:
    """The formula cells whose recalculated value differs from the program's figure."""
    wrong = []
    for key, want in expected.items():
        got = values.get(key)
        if want in (None, ""):
            if got not in (None, ""):
                wrong.append(f"{key}: {got!r}, expected blank")
            continue
        if isinstance(want, str):
            if got != want:
                wrong.append(f"{key}: {got!r}, expected {want!r}")
            continue
        if not isinstance(got, (int, float)) or abs(got - want) > 1e-9 * max(1.0, abs(want)):
            wrong.append(f"{key}: {got!r}, expected {want!r}")
    return wrong
