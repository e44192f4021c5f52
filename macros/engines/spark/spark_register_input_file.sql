{#-
    Register an input file (or glob) as an external table (spark_input_relation), dropped
    and re-created on every call so that it follows the file's current header. Dropping an
    external table never touches the file. Runs only when dbt executes (not while parsing).

    CSV is read with the project's explicit dialect: comma-separated, `"` quotes (a quote
    inside a quoted value doubled), a header row, UTF-8, every column as text, line breaks
    allowed inside quoted values (so a CSV file is read by one task: it cannot be split),
    and a structurally broken file (unterminated quote, wrong field count) fails the read.
    enforceSchema = false makes every file of a glob prove its header matches the first
    file's. Parquet: the schemas of a glob's files are merged by name.
-#}
{% macro spark_register_input_file(path, file_format) %}
    {%- set relation = segments.spark_input_relation(path, file_format) -%}
    {%- if not execute -%}{{ return(relation) }}{%- endif -%}
    {%- if file_format == 'csv' -%}
        {%- set options = {
            'path': path, 'header': 'true', 'sep': ',', 'quote': '"', 'escape': '"',
            'encoding': 'UTF-8', 'multiLine': 'true', 'inferSchema': 'false',
            'enforceSchema': 'false', 'mode': 'FAILFAST',
        } -%}
    {%- else -%}
        {%- set options = {'path': path, 'mergeSchema': 'true'} -%}
    {%- endif -%}
    {%- set rendered = [] -%}
    {%- for name, value in options.items() -%}
        {%- do rendered.append(name ~ ' ' ~ segments.sql_string_literal(value)) -%}
    {%- endfor -%}
    {%- do run_query('create schema if not exists ' ~ relation.without_identifier()) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query(
        'create table ' ~ relation ~ ' using ' ~ file_format
        ~ ' options (' ~ rendered | join(', ') ~ ')'
    ) -%}
    {{ return(relation) }}
{% endmacro %}
