{#- Quote an identifier taken from a file header: Spark quotes with backticks, doubling embedded ones. -#}
{% macro spark__quote_identifier(name) -%}
    `{{ (name | string) | replace('`', '``') }}`
{%- endmacro %}
