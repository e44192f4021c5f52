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

{#-
    DuckDB: the file read in place, with `source_row_position`, the row's 1-based position
    in its file. Parquet gives it directly (file_row_number). A CSV file is numbered by
    row_number() over the scan, which follows the file's order (preserve_insertion_order,
    set in profiles.yml); for a glob of CSV files each file's first number is subtracted.
-#}
{% macro duckdb__input_file_reader(path, file_format) -%}
    {%- if file_format == 'csv' -%}
        {%- set scan -%}
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
        {%- endset -%}
        {%- if segments.is_glob(path) -%}
        (
            select
                * exclude (source_scan_order),
                source_scan_order
                - min(source_scan_order) over (partition by source_file)
                + 1 as source_row_position
            from (select *, row_number() over () as source_scan_order from {{ scan }})
        ) as input_file
        {%- else -%}
        (select *, row_number() over () as source_row_position from {{ scan }}) as input_file
        {%- endif -%}
    {%- else -%}
        (
            select
                * exclude (file_row_number),
                file_row_number + 1 as source_row_position
            from read_parquet(
                {{ segments.sql_string_literal(path) }},
                union_by_name = true,
                filename = 'source_file',
                file_row_number = true
            )
        ) as input_file
    {%- endif -%}
{%- endmacro %}

{#- True when a path names several files through glob characters (*, ?, [). -#}
{% macro is_glob(path) %}
    {{ return('*' in path or '?' in path or '[' in path) }}
{% endmacro %}
