{#-
    The new transaction files a build appends to an earlier build's state, or an empty
    list. The CLI lists them, as JSON, in the SEGMENTS_NEW_TRANSACTIONS_FILES environment
    variable when every file loaded before is unchanged (docs/decisions.md, "Appending new
    files"); an environment variable rather than a var, so that dbt keeps its parse of the
    project (a change of vars makes dbt parse every file again). The staging models then
    read these files only, and the models that keep state across builds
    (rejected_transactions, int_customer_totals, int_transaction_files_counted) add to it;
    those models refresh fully whenever the variable is empty (their `full_refresh` config
    reads it directly, so that dbt parses them again when it changes).
-#}
{% macro new_transactions_files() %}
    {%- set text = env_var('SEGMENTS_NEW_TRANSACTIONS_FILES', '') | trim -%}
    {%- if not text -%}{{ return([]) }}{%- endif -%}
    {%- set files = fromjson(text) -%}
    {%- if files is string or files is mapping or files is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "segments: SEGMENTS_NEW_TRANSACTIONS_FILES must be a JSON list of paths"
        ) }}
    {%- endif -%}
    {%- for file in files -%}
        {%- if file is not string or not file -%}
            {{ exceptions.raise_compiler_error(
                "segments: SEGMENTS_NEW_TRANSACTIONS_FILES must be a JSON list of paths"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(files) }}
{% endmacro %}

{#- True when this build appends new transaction files (see new_transactions_files). -#}
{% macro appending() %}
    {{ return(segments.new_transactions_files() | length > 0) }}
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
