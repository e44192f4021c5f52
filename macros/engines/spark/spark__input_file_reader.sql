{#-
    Spark SQL cannot pass reader options inside a query, so the file is first registered as
    an external table (spark_register_input_file) and read from there, with two columns
    added while the file is scanned:
    - `source_file`: the file's path as DuckDB gives it (no `file:` scheme, not
      URL-encoded; `+` is a literal plus in a path, hence the %2B);
    - `source_row_position`: the row's 1-based position in its file. A Spark table does
      not keep a file's row order, so the position must be taken here (see
      spark__source_row_id). Parquet gives it directly (`_metadata.row_index`); a CSV file
      is read whole by one task, in file order, so monotonically_increasing_id() rises
      with the row and row_number() over it numbers the rows of each file.
-#}
{% macro spark__input_file_reader(path, file_format) -%}
    {%- set relation = segments.spark_register_input_file(path, file_format) -%}
    {%- set source_file =
        "url_decode(replace(regexp_replace(_metadata.file_path, '^file:(//)?', ''),"
        ~ " '+', '%2B'))" -%}
    {%- if file_format == 'parquet' -%}
        (
            select
                *,
                {{ source_file }} as source_file,
                _metadata.row_index + 1 as source_row_position
            from {{ relation }}
        ) as input_file
    {%- else -%}
        (
            select
                * except (source_scan_order),
                row_number() over (
                    partition by source_file order by source_scan_order
                ) as source_row_position
            from (
                select
                    *,
                    {{ source_file }} as source_file,
                    monotonically_increasing_id() as source_scan_order
                from {{ relation }}
            ) as scanned
        ) as input_file
    {%- endif -%}
{%- endmacro %}
