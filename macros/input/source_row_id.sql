{#-
    An expression giving each row of a base_input__* model its position in its input, as
    the reader took it (see input_file_metadata_columns). On DuckDB the position is
    `source_row_position`, already 1-based within each file (null, hence the cast, in the
    zero-row stand-in for an absent optional file).
-#}
{% macro source_row_id() %}
    {{ return(adapter.dispatch('source_row_id', 'segments')()) }}
{% endmacro %}

{% macro default__source_row_id() %}
    {{ exceptions.raise_compiler_error(
        "segments: source row numbers are not implemented for the " ~ target.type ~ " adapter"
    ) }}
{% endmacro %}

{% macro duckdb__source_row_id() -%}
    cast(source_row_position as bigint)
{%- endmacro %}

{#-
    source_row_number from the `source_row_id` column of a raw model: the row's 1-based
    position within its own file. Where the reader's position may run across the files of
    a glob (PostgreSQL's loader), each file's first id is subtracted (a window over every
    row); DuckDB's and Spark's readers already number each file from 1.
-#}
{% macro source_row_number() %}
    {{ return(adapter.dispatch('source_row_number', 'segments')()) }}
{% endmacro %}

{% macro default__source_row_number() -%}
    source_row_id - min(source_row_id) over (partition by source_file) + 1
{%- endmacro %}

{% macro duckdb__source_row_number() -%}
    source_row_id
{%- endmacro %}

{% macro spark__source_row_number() -%}
    source_row_id
{%- endmacro %}

{#-
    How the base_input__* models are materialized. DuckDB reads Parquet and CSV files fast
    enough to scan them again for each model that needs them, and copying ten million rows
    into a table costs more than every later scan together: a view. Elsewhere a table (on
    Spark the file is registered as an external table once; PostgreSQL copies the loaded
    rows).
-#}
{% macro input_materialization() %}
    {{ return(adapter.dispatch('input_materialization', 'segments')()) }}
{% endmacro %}

{% macro default__input_materialization() %}
    {{ return('table') }}
{% endmacro %}

{% macro duckdb__input_materialization() %}
    {{ return('view') }}
{% endmacro %}
