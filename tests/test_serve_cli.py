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


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--max-result-bytes", "0", "must be positive"),
        ("--client-queries", "0", "must be positive"),
        ("--request-timeout", "-1", "must be positive"),
        ("--max-memory", "-1", "--max-memory, --max-total-memory and --client-queue must be 0"),
        ("--max-total-memory", "-5", "--max-total-memory and --client-queue must be 0 or more"),
        ("--client-connections", "0", "must be positive"),
        ("--send-timeout", "0", "must be positive"),
        ("--max-send-memory", "0", "must be positive"),
        ("--forwarded-allow-ips", "10.0.0.1,proxy.example", "'proxy.example': expected an IP"),
    ],
)
def test_bad_protection_limits(seed_build, capsys, option: str, value: str, message: str) -> None:
    code = main(["serve", "--store", str(seed_build.store), option, value])
    assert code == 2
    assert message in capsys.readouterr().err


def test_defaults_come_from_the_settings() -> None:
    from kg.cli import make_parser
    from kg.server.settings import MIB, Settings

    args = make_parser().parse_args(["serve"])
    defaults = Settings()
    assert args.query_timeout == defaults.query_timeout
    assert args.max_memory == defaults.max_memory_mib
    assert defaults.max_total_memory_mib is not None
    assert args.max_total_memory == defaults.max_total_memory_mib < 1536  # under 1.5 GB
    assert args.cache_size * MIB == defaults.cache_bytes
    assert args.request_timeout == defaults.request_timeout < 40
    assert args.send_timeout == defaults.send_timeout
    assert args.client_connections == defaults.client_connections < defaults.max_connections
    assert args.max_send_memory == defaults.max_send_memory_mib
    assert args.forwarded_allow_ips == "" and defaults.forwarded_allow_ips == ()  # none trusted


def test_a_port_in_use_is_exit_2_naming_port(
    seed_build, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second kg serve (or tasks.py up) on a busy port: a usage error naming --port, exit 2,
    not the server's Errno 98 and exit 3."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["serve", "--store", str(seed_build.store), "--port", str(port)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"port {port} on 127.0.0.1 is in use" in err
    assert f"--port, e.g. 'kg serve --port {port + 1}'" in err
    assert f"'python3 tasks.py up --port {port + 1}'" in err
    assert "Errno" not in err and "Traceback" not in err


def test_a_host_that_is_not_this_machine_is_named(seed_build, capsys) -> None:
    code = main(
        ["serve", "--store", str(seed_build.store), "--host", "192.0.2.1", "--port", "8999"]
    )
    assert code == 2
    assert "--host 192.0.2.1 --port 8999: cannot listen there" in capsys.readouterr().err
