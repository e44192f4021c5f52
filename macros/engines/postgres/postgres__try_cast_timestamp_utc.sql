{#-
    Parse an ISO-8601 date or timestamp to a UTC timestamp without time zone, or null, as
    DuckDB does (see postgres_parse_datetime for the grammar).
-#}
{% macro postgres__try_cast_timestamp_utc(expression) -%}
    {{ segments.postgres_parse_datetime(expression, 'timestamp_utc') }}
{%- endmacro %}
