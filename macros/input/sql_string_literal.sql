{#- Quote a value as a SQL string literal, doubling embedded single quotes. -#}
{% macro sql_string_literal(value) -%}
    '{{ (value | string) | replace("'", "''") }}'
{%- endmacro %}
