"""`segments generate`: write a deterministic, realistic sample transactions file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import console, sample_data, validate


def generate(
    customers: Annotated[
        int,
        typer.Option(
            "--customers",
            metavar="N",
            help="Number of customers (about 4.5 transactions each; half buy once).",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="PATH",
            help="File to write, .csv or .parquet (missing folders are created).",
        ),
    ],
    seed: Annotated[
        int, typer.Option("--seed", help="Seed: the same arguments always give the same file.")
    ] = sample_data.DEFAULT_SEED,
    start: Annotated[
        str,
        typer.Option("--start", metavar="YYYY-MM-DD", help="First day of the transactions."),
    ] = sample_data.DEFAULT_START.isoformat(),
    end: Annotated[
        str,
        typer.Option(
            "--end", metavar="YYYY-MM-DD", help="Last day of the transactions (included)."
        ),
    ] = sample_data.DEFAULT_END.isoformat(),
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="csv|parquet",
            show_default="from the extension of --out",
            help="Format of the file written.",
        ),
    ] = None,
) -> None:
    """Write sample transactions that follow the input contract (deterministic per seed).

    Examples (the second writes about 1M rows over 2023):

      segments generate --customers 5000 --out data/transactions.csv

      segments generate --customers 220000 --start 2023-01-01 --end 2023-12-31 --out tx.parquet
    """
    spec = sample_data.SampleSpec(
        customers=customers,
        seed=seed,
        start=sample_data.parse_date(start, "--start"),
        end=sample_data.parse_date(end, "--end"),
    )
    sample_data.validate_spec(spec)
    chosen_format = sample_data.resolve_format(out, file_format)
    validate.check_path_text(str(out), "--out")

    if console.stderr_is_tty():
        title = f"Generating transactions for {spec.customers:,} customers"
        with console.progress(title) as shown:
            result = sample_data.write_transactions(
                spec,
                out,
                chosen_format,
                on_progress=lambda percent: shown.update(f"{title}: {percent:.0f}%"),
            )
    else:  # piped or captured: only the summary line below
        result = sample_data.write_transactions(spec, out, chosen_format)
    typer.echo(
        f"Wrote {_count(result.rows, 'transaction')} for {_count(result.customers, 'customer')}"
        f" ({result.start.isoformat()} to {result.end.isoformat()}) to {result.path}"
        f" in {result.seconds:.1f} s"
    )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
