{#-
    Parse an ISO-8601 date or timestamp to a UTC timestamp without time zone, or null.
    A value with an offset (`Z`, `+02:00`) is converted to UTC; a value without one is
    taken as UTC.
-#}
{% macro try_cast_timestamp_utc(expression) %}
    {{ return(adapter.dispatch('try_cast_timestamp_utc', 'segments')(expression)) }}
{% endmacro %}

{% macro default__try_cast_timestamp_utc(expression) -%}
    {{ segments.try_cast(expression, dbt.type_timestamp()) }}
{%- endmacro %}

{% macro duckdb__try_cast_timestamp_utc(expression) -%}
    timezone('UTC', try_cast({{ expression }} as timestamptz))
{%- endmacro %}
