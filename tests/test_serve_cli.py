"""kg serve: bad input is a one-line error with exit code 2, before anything listens."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main


def test_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", "--store", str(tmp_path / "nothing"), "--port", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "nothing: no store found; run 'kg build' first" in err
    assert "Traceback" not in err


def test_bad_limits(seed_build, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", "--store", str(seed_build.store), "--query-timeout", "0"])
    assert code == 2
    assert "must be positive" in capsys.readouterr().err
