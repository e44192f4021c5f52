"""Terminal output: rich on a terminal, plain lines when piped or captured."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

import typer

if TYPE_CHECKING:
    from rich.status import Status


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def note(message: str) -> None:
    """A one-line remark on stderr (kept off stdout, which carries results)."""
    typer.echo(message, err=True)


class Progress(Protocol):
    def update(self, text: str) -> None: ...


class _PlainProgress:
    def update(self, text: str) -> None:
        typer.echo(text)


class _SpinnerProgress:
    def __init__(self, status: Status, width: int) -> None:
        self._status = status
        self._width = max(width - 4, 20)  # room for the spinner

    def update(self, text: str) -> None:
        from rich.text import Text  # plain text: node names are not rich markup

        if len(text) > self._width:
            text = text[: self._width - 3] + "..."
        self._status.update(Text(text))


@contextmanager
def progress(title: str) -> Iterator[Progress]:
    """A spinner on stderr when it is a terminal; otherwise plain lines on stdout."""
    if not stderr_is_tty():
        typer.echo(title)
        yield _PlainProgress()
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status(title) as status:
        spinner = _SpinnerProgress(status, console.width)
        spinner.update(title)
        yield spinner


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table on stdout: rich on a terminal, plain aligned columns otherwise.

    The first column is left-aligned, the others (numbers, mostly) right-aligned.
    """
    if stdout_is_tty():
        from rich.console import Console
        from rich.table import Table

        shown = Table(title=title)
        shown.add_column(headers[0])
        for header in headers[1:]:
            shown.add_column(header, justify="right")
        for row in rows:
            shown.add_row(*row)
        Console().print(shown)
        return
    typer.echo(title)
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        typer.echo("  ".join(cells).rstrip())
