{#-
    A relation expression reading an input file (or glob) with an explicit format.
    CSV: comma-separated, double-quoted, header row, every column read as text
    (validation happens in staging, never in the reader). The file name is kept in
    `source_file`.
-#}
{% macro input_file_reader(path, file_format) %}
    {{ return(adapter.dispatch('input_file_reader', 'segments')(path, file_format)) }}
{% endmacro %}

{% macro default__input_file_reader(path, file_format) %}
    {{ exceptions.raise_compiler_error(
        "segments: reading input files is not implemented for the " ~ target.type ~ " adapter"
    ) }}
{% endmacro %}

{% macro duckdb__input_file_reader(path, file_format) -%}
    {%- if file_format == 'csv' -%}
        read_csv(
            {{ segments.sql_string_literal(path) }},
            header = true,
            delim = ',',
            quote = '"',
            escape = '"',
            encoding = 'utf-8',
            all_varchar = true,
            union_by_name = true,
            filename = 'source_file'
        )
    {%- else -%}
        read_parquet(
            {{ segments.sql_string_literal(path) }},
            union_by_name = true,
            filename = 'source_file'
        )
    {%- endif -%}
{%- endmacro %}
