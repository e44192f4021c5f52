{#- Integer division truncating toward zero: div() is exact for integer and numeric operands. -#}
{% macro postgres__integer_divide(numerator, denominator) -%}
    cast(div({{ numerator }}, {{ denominator }}) as bigint)
{%- endmacro %}
