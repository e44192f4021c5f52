{#-
    The column names of an input file (or glob) as its reader sees them, in file order,
    including the reader's `source_file` (not its `source_row_position`).
-#}
{% macro input_file_column_names(path, file_format) %}
    {{ return(adapter.dispatch('input_file_column_names', 'segments')(path, file_format)) }}
{% endmacro %}

{% macro default__input_file_column_names(path, file_format) %}
    {{ exceptions.raise_compiler_error(
        "segments: reading input files is not implemented for the " ~ target.type ~ " adapter"
    ) }}
{% endmacro %}

{% macro duckdb__input_file_column_names(path, file_format) %}
    {%- set described = run_query(
        "describe select * from " ~ segments.input_file_reader(path, file_format)
    ) -%}
    {%- set names = [] -%}
    {%- for name in described.columns[0].values() -%}
        {%- if name != 'source_row_position' -%}{%- do names.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
