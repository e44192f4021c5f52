{#- Integer division truncating toward zero: Spark's `div` is exact on integers (`/` gives a double). -#}
{% macro spark__integer_divide(numerator, denominator) -%}
    (({{ numerator }}) div ({{ denominator }}))
{%- endmacro %}
