{#-
    True when this build appends new transaction files to an earlier build's state: the
    CLI sets `transactions_appending` and lists the new files in `transactions_files` when
    every file loaded before is unchanged (docs/decisions.md, "Appending new files").
    The staging models then read the new files only, and the models that keep state across
    builds (rejected_transactions, int_customer_totals, int_transaction_files_counted) add
    to it. Otherwise those models are rebuilt from every file.
-#}
{% macro appending() %}
    {%- set appending = var('transactions_appending', false) -%}
    {%- if appending and not var('transactions_files', none) -%}
        {{ exceptions.raise_compiler_error(
            "segments: transactions_appending needs the new files in transactions_files"
        ) }}
    {%- endif -%}
    {{ return(appending is true) }}
{% endmacro %}

{#-
    How the models that keep state across builds are materialized: incremental on DuckDB,
    where the CLI appends; a table elsewhere (PostgreSQL and Spark builds read every file).
-#}
{% macro append_materialization() %}
    {{ return(adapter.dispatch('append_materialization', 'segments')()) }}
{% endmacro %}

{% macro default__append_materialization() %}
    {{ return('table') }}
{% endmacro %}

{% macro duckdb__append_materialization() %}
    {{ return('incremental') }}
{% endmacro %}
