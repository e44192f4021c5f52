{#- An aggregate counting the rows where `condition` holds, as an integer (0 when none). -#}
{% macro count_where(condition) -%}
    cast(sum(case when {{ condition }} then 1 else 0 end) as {{ dbt.type_int() }})
{%- endmacro %}
