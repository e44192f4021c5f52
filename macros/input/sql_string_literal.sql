{#- Quote a value as a SQL string literal (dispatched: Spark escapes with backslashes). -#}
{% macro sql_string_literal(value) -%}
    {{ return(adapter.dispatch('sql_string_literal', 'segments')(value)) }}
{%- endmacro %}

{#- Standard SQL: single quotes, doubling embedded single quotes. -#}
{% macro default__sql_string_literal(value) -%}
    '{{ (value | string) | replace("'", "''") }}'
{%- endmacro %}
