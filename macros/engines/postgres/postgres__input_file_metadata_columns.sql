{#-
    The loader's columns kept beside the file's own: `source_file`, and `source_row_index`,
    the row's position in its input, numbered in file order while the file is loaded
    (PostgreSQL tables do not keep insertion order).
-#}
{% macro postgres__input_file_metadata_columns() %}
    {{ return(['source_file', 'source_row_index']) }}
{% endmacro %}
