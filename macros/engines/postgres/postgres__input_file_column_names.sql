{#-
    The column names of a loaded input file, in file order, from the catalog (the loader's
    `source_row_index` left out). Fails with one line when the file was never loaded.
-#}
{% macro postgres__input_file_column_names(path, file_format) %}
    {%- set relation = segments.postgres_input_relation(path, file_format) -%}
    {%- set listed = run_query(
        "select column_name from information_schema.columns"
        ~ " where table_schema = " ~ segments.sql_string_literal(relation.schema)
        ~ " and table_name = " ~ segments.sql_string_literal(relation.identifier)
        ~ " and column_name != 'source_row_index'"
        ~ " order by ordinal_position"
    ) -%}
    {%- if listed.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "segments: input file " ~ path ~ " is not loaded into PostgreSQL (no table "
            ~ relation ~ "); segments build --target postgres loads it before running dbt"
        ) }}
    {%- endif -%}
    {{ return(listed.columns[0].values() | list) }}
{% endmacro %}
