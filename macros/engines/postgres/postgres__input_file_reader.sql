{#-
    PostgreSQL cannot read the user's file from SQL, so `segments build --target postgres`
    first loads each input file into a table of the raw schema (cli/postgres.py): every
    column as text under the names DuckDB's reader gives them, `source_file`, and
    `source_row_index`, the row's position (files in the order DuckDB reads a glob).
-#}
{% macro postgres__input_file_reader(path, file_format) -%}
    {{ segments.postgres_input_relation(path, file_format) }}
{%- endmacro %}
