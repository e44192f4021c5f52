{#-
    The columns an input file reader adds to the file's own, which the base_input__* tables
    keep: `source_file`, plus `source_row_position` on engines whose tables do not keep a
    file's row order (Spark), where the row's position must be taken while the file is read.
-#}
{% macro input_file_metadata_columns() %}
    {{ return(adapter.dispatch('input_file_metadata_columns', 'segments')()) }}
{% endmacro %}

{% macro default__input_file_metadata_columns() %}
    {{ return(['source_file']) }}
{% endmacro %}
