{#-
    The Spark table registering an input file (or glob) for spark__input_file_reader:
    `<target schema>_raw.input_<md5 of "format:path", 16 hex digits>`, the same naming as
    the PostgreSQL loader's tables.
-#}
{% macro spark_input_relation(path, file_format) %}
    {%- set identifier = 'input_' ~ local_md5(file_format ~ ':' ~ path)[:16] -%}
    {{ return(api.Relation.create(schema=target.schema ~ '_raw', identifier=identifier)) }}
{% endmacro %}
