{#-
    An expression giving each row of a table its position in insertion order. On DuckDB
    this is `rowid`: a table created from a file scan keeps the file's row order
    (preserve_insertion_order, on by default and set in profiles.yml).
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
    rowid
{%- endmacro %}
