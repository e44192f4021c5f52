{#-
    The columns an input file reader adds to the file's own, which the base_input__* models
    keep: `source_file`, plus `source_row_position`, the row's 1-based position in its file,
    taken while the file is read (Spark and PostgreSQL tables do not keep a file's row
    order, and DuckDB reads the file through a view, never copying it to a table).
-#}
{% macro input_file_metadata_columns() %}
    {{ return(adapter.dispatch('input_file_metadata_columns', 'segments')()) }}
{% endmacro %}

{% macro default__input_file_metadata_columns() %}
    {{ return(['source_file']) }}
{% endmacro %}

{% macro duckdb__input_file_metadata_columns() %}
    {{ return(['source_file', 'source_row_position']) }}
{% endmacro %}
