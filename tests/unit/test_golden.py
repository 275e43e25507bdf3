"""The outputs of issue 18's golden run are unchanged (see tests/golden/golden_outputs.py).

Every command output and every workbook cell on the default demo plan must
be identical to the files in ``tests/data/golden/``. A difference is either a
bug in a move, or an intended change: then regenerate the files with
``python -m tests.golden.golden_outputs`` and say why in the commit.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.golden.golden_outputs import GOLDEN, outputs


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return outputs(tmp_path_factory.mktemp("golden"))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir()))
def test_output_is_unchanged(fresh: dict[str, str], name: str) -> None:
    want = (GOLDEN / name).read_text(encoding="utf-8")
    got = fresh[name]
    if got != want:
        diff = "\n".join(list(difflib.unified_diff(
            want.splitlines(), got.splitlines(), "golden", "now", lineterm="", n=1))[:60])
        pytest.fail(f"{name} changed:\n{diff}")


def test_every_golden_output_is_produced(fresh: dict[str, str]) -> None:
    assert sorted(fresh) == sorted(p.name for p in Path(GOLDEN).iterdir())
