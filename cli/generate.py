"""`segments generate`: write a deterministic, realistic sample transactions file, and
optionally the matching customers and events files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import console, sample_data, sample_profiles, validate
from cli.errors import SegmentsError


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
    customers_out: Annotated[
        Path | None,
        typer.Option(
            "--customers-out",
            metavar="PATH",
            help="Also write the matching customers file here (.csv or .parquet), with one "
            "prospect (no transaction) for every 8 buyers.",
        ),
    ] = None,
    events_out: Annotated[
        Path | None,
        typer.Option(
            "--events-out",
            metavar="PATH",
            help="Also write the matching events file here (.csv or .parquet): page views, "
            "email opens and clicks, cart additions.",
        ),
    ] = None,
) -> None:
    """Write sample transactions that follow the input contract (deterministic per seed).

    Examples (the third writes about 1M rows over 2023):

      segments generate --customers 5000 --out data/transactions.csv

      segments generate --customers 5000 --out tx.csv --customers-out c.csv --events-out e.csv

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
    extra_formats = {}
    for option, path in (("--customers-out", customers_out), ("--events-out", events_out)):
        if path is not None:
            validate.check_path_text(str(path), option)
            if path.is_dir():
                raise SegmentsError(f"{option} {path} is a folder; give a file name")
            extra_formats[option] = sample_data.resolve_format(path, file_format)

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
    if extra_formats:
        profiles = sample_profiles.write_profiles(
            spec,
            customers_out,
            events_out,
            extra_formats.get("--customers-out", "csv"),
            extra_formats.get("--events-out", "csv"),
        )
        if profiles.customers_path is not None:
            typer.echo(
                f"Wrote {_count(profiles.customers, 'customer')}"
                f" ({_count(profiles.prospects, 'prospect')}) to {profiles.customers_path}"
            )
        if profiles.events_path is not None:
            typer.echo(f"Wrote {_count(profiles.events, 'event')} to {profiles.events_path}")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
