"""The README's commands and the CI script must not drift apart."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fenced_after(heading: str, text: str) -> str:
    section = text.split(heading, 1)[1]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    command = _fenced_after("## Run the tests", readme)
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert command in ci_lines


def test_start_command_installs_every_xcb_library_the_readme_lists() -> None:
    readme = (ROOT / "README.md").read_text()
    start = _fenced_after("## Start the program", readme)
    section = readme.split("### System libraries", 1)[1].split("##", 1)[0]
    listed = set(re.findall(r"\blib[\w.+-]*\d\b", section))
    assert listed and all(lib in start for lib in listed)
    assert start.endswith(".venv/bin/salesplanner")
