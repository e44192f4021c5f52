{#-
    The column names of an input file as spark__input_file_reader sees them, in file order,
    with the reader's `source_file` and without its `source_row_position`.
-#}
{% macro spark__input_file_column_names(path, file_format) %}
    {%- set described = run_query(
        "describe query select * from " ~ segments.input_file_reader(path, file_format)
    ) -%}
    {%- set names = [] -%}
    {%- for name in described.columns[0].values() -%}
        {%- if name != 'source_row_position' -%}{%- do names.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
