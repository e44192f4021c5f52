"""`segments docs`: generate (and optionally serve) dbt's documentation site."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import console, dbt_runner
from cli.build import load_last_build
from cli.errors import SegmentsError
from cli.options import WorkdirOption
from cli.project import workdir

DOCS_HOST = "127.0.0.1"


def docs(
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve",
            help=f"After generating, serve the site on http://{DOCS_HOST}:PORT until Ctrl-C.",
        ),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port of the docs server.")
    ] = 8080,
    workdir_option: WorkdirOption = None,
) -> None:
    """Generate dbt's documentation site (models, columns, tests, lineage and the report and
    export exposures) with the inputs of the last build; --serve also serves it locally.

    Example:

      segments docs --workdir out --serve --port 8080
    """
    folder = workdir(workdir_option)
    dbt_vars = load_last_build(folder)
    folder.require_database()
    with console.progress("dbt docs generate: starting") as shown:
        run = dbt_runner.run_dbt(
            "docs generate", folder, dbt_vars, on_node=lambda node: shown.update(node)
        )
    if not run.ok:
        raise SegmentsError(dbt_runner.failure_message(run))
    site = folder.target_path / "index.html"
    typer.echo(f"docs: {site}")
    if not serve:
        return
    typer.echo(f"serving the docs on http://{DOCS_HOST}:{port} (Ctrl-C to stop)")
    command = f"docs serve --host {DOCS_HOST} --port {port} --no-browser"
    try:
        served = dbt_runner.run_dbt(command, folder, dbt_vars)
    except KeyboardInterrupt:
        typer.echo("docs server stopped")
        return
    if not served.ok:
        raise SegmentsError(dbt_runner.failure_message(served))
