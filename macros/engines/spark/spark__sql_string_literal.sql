{#-
    Quote a value as a Spark SQL string literal. Backslash is Spark's escape character in
    literals, so backslashes and single quotes are escaped with one.
-#}
{% macro spark__sql_string_literal(value) -%}
    '{{ (value | string) | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}
