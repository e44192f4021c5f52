{#-
    A relation expression reading an input file, a glob, or a list of files (the files
    an appending build loads, see `appending`) with an explicit format.
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
    set in profiles.yml); for several CSV files each file's first number is subtracted.
-#}
{% macro duckdb__input_file_reader(path, file_format) -%}
    {%- set scan = segments.duckdb_input_file_scan(path, file_format) -%}
    {%- if file_format == 'csv' -%}
        {{ segments.duckdb_numbered_in_read_order(scan, path, 'source_row_position') }}
            as input_file
    {%- else -%}
        (
            select
                * exclude (file_row_number),
                file_row_number + 1 as source_row_position
            from {{ scan }}
        ) as input_file
    {%- endif -%}
{%- endmacro %}

{#-
    DuckDB: `relation` (a scan, or a CTE holding the rows in the order read) with a column
    `name` added, each row's 1-based position within its file (`source_file`) in the order
    the rows are read (`preserve_insertion_order`); for several files each file's first
    number is subtracted. `path` is what was read: a file, a glob or a list of files.
-#}
{% macro duckdb_numbered_in_read_order(relation, path, name) -%}
    {%- if segments.is_many_files(path) -%}
    (
        select
            * exclude (source_scan_order),
            source_scan_order
            - min(source_scan_order) over (partition by source_file)
            + 1 as {{ name }}
        from (select *, row_number() over () as source_scan_order from {{ relation }})
    )
    {%- else -%}
    (select *, row_number() over () as {{ name }} from {{ relation }})
    {%- endif -%}
{%- endmacro %}

{#-
    DuckDB's table function reading the files, without row positions (a CSV numbered by
    the scan is parsed on one thread; a scan alone uses every core). Parquet files also
    give file_row_number.
-#}
{% macro duckdb_input_file_scan(path, file_format) -%}
    {%- if file_format == 'csv' -%}
        read_csv(
            {{ segments.input_paths_literal(path) }},
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
            {{ segments.input_paths_literal(path) }},
            union_by_name = true,
            filename = 'source_file',
            file_row_number = true
        )
    {%- endif -%}
{%- endmacro %}

{#- True when a path names several files: a list of paths, or glob characters (*, ?, [). -#}
{% macro is_many_files(path) %}
    {%- if path is string -%}
        {{ return('*' in path or '?' in path or '[' in path) }}
    {%- endif -%}
    {{ return(path | length > 1) }}
{% endmacro %}

{#- A path, or a list of paths, as a DuckDB string or list of strings. -#}
{% macro input_paths_literal(path) %}
    {%- if path is string -%}
        {{ return(segments.sql_string_literal(path)) }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for item in path -%}{%- do literals.append(segments.sql_string_literal(item)) -%}{%- endfor -%}
    {{ return('[' ~ literals | join(', ') ~ ']') }}
{% endmacro %}
