{#- An 8-byte floating-point type: Spark has no `double precision`. -#}
{% macro spark__type_double() -%}
    double
{%- endmacro %}
