{#-
    A validated value (see dynamic_segment_value_problem) as a SQL literal of its type:
    strings single-quoted with quotes escaped, numbers as numbers, dates as cast dates.
    Values are always bound as literals, never pasted as SQL.
-#}
{% macro dynamic_segment_literal(value, value_type) %}
    {%- if value_type == 'boolean' -%}
        {{ return('true' if value else 'false') }}
    {%- elif value_type == 'number' -%}
        {{ return(value | string) }}
    {%- elif value_type == 'date' -%}
        {{ return("cast('" ~ (value | string) ~ "' as date)") }}
    {%- elif value_type == 'timestamp' -%}
        {{ return("cast('" ~ (value | string) ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
    {%- else -%}
        {{ return(segments.sql_string_literal(value)) }}
    {%- endif -%}
{% endmacro %}
