"""The ``kg`` command line: a thin layer over the package's modules.

Exit codes: 0 success; 1 findings (validation violations, a failed check); 2 usage or input
error (bad arguments, unreadable or malformed input, missing store).

Each subcommand lives in ``kg/cli/commands/<name>.py`` with ``register(subparsers)``; the modules
are found at start-up and keep their heavy imports inside the function that runs the command.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import signal
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

from kg import package_version
from kg.errors import KgError, printable
from kg.project import Project, ProjectDefault

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# Packages of the extras in pyproject.toml, by the extra that installs them: kg build and kg
# validate need none of them, kg serve and kg analyse say which to install.
OPTIONAL_MODULES = {
    "fastapi": "serve",
    "starlette": "serve",
    "uvicorn": "serve",
    "jinja2": "serve",
    "networkx": "analysis",
    "matplotlib": "analysis",
}
# What each command of an extra imports first (and would fail on without it).
COMMAND_NEEDS = {"serve": ("fastapi", "uvicorn", "jinja2"), "analyse": ("networkx",)}


class _Version(argparse.Action):
    """``--version``: the version is looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **_: object) -> None:
        super().__init__(
            option_strings, argparse.SUPPRESS, nargs=0, help="show the version and exit"
        )

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"kg {package_version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; keep its message one line
        self.print_usage(sys.stderr)
        raise SystemExit(f"{self.prog}: error: {message}") from None


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kg",
        description="A knowledge graph of AI policy instruments from Dutch parliamentary documents.",
        epilog="Exit codes: 0 ok, 1 findings (e.g. validation violations), 2 usage or input error.",
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument(
        "--project",
        metavar="DIR",
        help="project folder (default: $KG_PROJECT, else the nearest folder at or above the "
        "current one holding kg.toml or a pyproject.toml with a [tool.kg] table)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import kg.cli.commands

    for module in sorted(pkgutil.iter_modules(kg.cli.commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"kg.cli.commands.{module.name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK if exit_.code in (0, None) else EXIT_USAGE
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    previous = _terminate_like_interrupt()
    try:
        # A command that needs an extra says so before it looks for the project or the store.
        for module in COMMAND_NEEDS.get(args.command, ()):
            importlib.import_module(module)
        _fill_project_defaults(args)
        return int(args.run(args))
    except KgError as err:
        print(f"kg {args.command}: error: {printable(err)}", file=sys.stderr)
        return err.exit_code
    except Terminated:
        return 128 + signal.SIGTERM
    except ModuleNotFoundError as err:
        extra = OPTIONAL_MODULES.get((err.name or "").split(".")[0])
        if extra is None:
            raise
        print(
            f"kg {args.command}: error: this command needs the '{extra}' extra ({err.name} is "
            f"not installed): pip install 'kg[{extra}]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away ("kg query --list | head"): not an error. Point stdout at
        # /dev/null so that Python's flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is, as Ctrl-C raises KeyboardInterrupt: whatever
    cleans up after an interrupt (kg add's copies, a store version being written) runs too."""


def _terminate_like_interrupt():
    """Install the SIGTERM handler (main thread only, as Python allows); the one it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return None
    main_process = os.getpid()

    def terminated(signum: int, _frame: object) -> None:
        if os.getpid() != main_process:  # a forked build worker: end as SIGTERM ends it
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated

    return signal.signal(signal.SIGTERM, terminated)


def _fill_project_defaults(args: argparse.Namespace) -> None:
    """Replace every option left at a project location by that location; the project is looked
    for only when some option needs it, so a command given every path runs anywhere."""
    pending = {k: v for k, v in vars(args).items() if isinstance(v, ProjectDefault)}
    if not pending:
        return
    project = Project.find(args.project)
    for name, default in pending.items():
        setattr(args, name, default.resolve(project))


if __name__ == "__main__":
    sys.exit(main())
