"""The `segments` command: a thin wrapper around the dbt project."""

from __future__ import annotations

import sys

import typer

from cli import __version__, dbt_runner, docs_cmd, test_cmd
from cli import backfill as backfill_cmd
from cli import build as build_cmd
from cli import export as export_cmd
from cli import generate as generate_cmd
from cli import history as history_cmd
from cli import report as report_cmd
from cli import serve_info as serve_info_cmd
from cli.errors import SegmentsError

app = typer.Typer(
    name="segments",
    help="Customer segmentation (RFM scores and named segments) from a transactions file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"segments {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(
        False,
        "--debug",
        help="Show full tracebacks on errors; dbt logs every query to .segments/logs/dbt.log.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    _state["debug"] = debug
    dbt_runner.debug_log = debug


app.command("build")(build_cmd.build)
app.command("test")(test_cmd.test)
app.command("export")(export_cmd.export)
app.command("generate")(generate_cmd.generate)
app.command("backfill")(backfill_cmd.backfill)
app.command("history")(history_cmd.history)
app.command("report")(report_cmd.report)
app.command("serve-info")(serve_info_cmd.serve_info)
app.command("docs")(docs_cmd.docs)


def main() -> None:
    """Entry point: run the app, turning any error into one line on stderr."""
    debug = "--debug" in sys.argv[1:]
    try:
        # In non-standalone mode typer returns the code of a `typer.Exit` instead of raising.
        code = app(standalone_mode=False)
    except SegmentsError as exc:
        if debug:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("error: aborted", err=True)
        sys.exit(130)
    except typer.TyperException as exc:
        # Usage errors (typer vendors click: these are not `click.exceptions` classes).
        _usage_error(exc)
    except Exception as exc:
        if debug:
            raise
        first_line = (str(exc).strip().splitlines() or [""])[0]
        typer.echo(
            f"error: {type(exc).__name__}: {first_line} (run with --debug for the traceback)",
            err=True,
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error(exc: typer.TyperException) -> None:
    exit_code = getattr(exc, "exit_code", 2)
    if type(exc).__name__ == "NoArgsIsHelpError":  # `segments` alone: show the help
        typer.echo(exc.format_message())
        sys.exit(0)
    lines = exc.format_message().splitlines()
    typer.echo(f"error: {lines[0] if lines else exc} (see --help)", err=True)
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
