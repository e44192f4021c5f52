{#-
    The PostgreSQL table holding an input file loaded by `segments build --target postgres`:
    `<target schema>_raw.input_<md5 of "format:path", 16 hex digits>`. The CLI's loader
    (cli/postgres.py, `raw_table_name`) names the table the same way.
-#}
{% macro postgres_input_relation(path, file_format) %}
    {%- set identifier = 'input_' ~ local_md5(file_format ~ ':' ~ path)[:16] -%}
    {{ return(api.Relation.create(
        database=target.dbname, schema=target.schema ~ '_raw', identifier=identifier
    )) }}
{% endmacro %}
