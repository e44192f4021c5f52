{#- Quote an identifier taken from a file header (dispatched: Spark quotes with backticks). -#}
{% macro quote_identifier(name) -%}
    {{ return(adapter.dispatch('quote_identifier', 'segments')(name)) }}
{%- endmacro %}

{#- Standard SQL: double quotes, doubling embedded double quotes. -#}
{% macro default__quote_identifier(name) -%}
    "{{ (name | string) | replace('"', '""') }}"
{%- endmacro %}
