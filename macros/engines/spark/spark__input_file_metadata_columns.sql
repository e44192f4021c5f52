{#- source_file, and the row's position in its file (see spark__input_file_reader). -#}
{% macro spark__input_file_metadata_columns() %}
    {{ return(['source_file', 'source_row_position']) }}
{% endmacro %}
