{#- True when a raw value is null or only whitespace. -#}
{% macro is_blank(expression) -%}
    coalesce(trim(cast({{ expression }} as {{ dbt.type_string() }})), '') = ''
{%- endmacro %}
