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

{#-
    The database of int_customer_totals and of the views that read it
    (int_customers_aggregated, int_customers_scored, int_customers_segmented), or none for
    the target's own. The totals are kept between builds for a later build to append to,
    and only a glob of files is appended to: a single file is always read whole. So on
    DuckDB a build of one file writes them to `scratch`, an in-memory database attached
    for the dbt run (profiles.yml), rather than compressing them into the database file
    (at 100M transactions 18 s instead of 24 s); they are gone when dbt ends. A glob, and
    every other engine, keeps them in the target's database.
-#}
{% macro customer_totals_database() %}
    {{ return(adapter.dispatch('customer_totals_database', 'segments')()) }}
{% endmacro %}

{% macro default__customer_totals_database() %}
    {{ return(none) }}
{% endmacro %}

{% macro duckdb__customer_totals_database() %}
    {%- set path = segments.build_var('transactions_path', none) -%}
    {{ return(none if not path or segments.is_many_files(path) else 'scratch') }}
{% endmacro %}

{#-
    A pre-hook for the models customer_totals_database places: built outside the target's
    database, a model drops its namesake there, left by an earlier build of a glob, so
    that no stale totals stay behind to be appended to and no view reads them.
-#}
{% macro drop_target_database_namesake() %}
    {%- if execute and this.database != target.database -%}
        {%- set namesake = adapter.get_relation(
            database=target.database, schema=this.schema, identifier=this.identifier
        ) -%}
        {%- if namesake is not none -%}{% do adapter.drop_relation(namesake) %}{%- endif -%}
    {%- endif -%}
{% endmacro %}
