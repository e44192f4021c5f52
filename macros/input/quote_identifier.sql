{#- Quote an identifier taken from a file header, doubling embedded double quotes. -#}
{% macro quote_identifier(name) -%}
    "{{ (name | string) | replace('"', '""') }}"
{%- endmacro %}
