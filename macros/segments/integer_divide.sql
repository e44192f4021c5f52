{#- Integer division truncating toward zero, for non-negative operands, on every engine. -#}
{% macro integer_divide(numerator, denominator) %}
    {{ return(adapter.dispatch('integer_divide', 'segments')(numerator, denominator)) }}
{% endmacro %}

{% macro default__integer_divide(numerator, denominator) -%}
    cast(floor(({{ numerator }}) / ({{ denominator }})) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__integer_divide(numerator, denominator) -%}
    (({{ numerator }}) // ({{ denominator }}))
{%- endmacro %}
