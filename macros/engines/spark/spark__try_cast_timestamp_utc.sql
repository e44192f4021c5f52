{#-
    Parse an ISO-8601 date or timestamp to a UTC timestamp, or null. The value must have
    the shape Y-M-D, optionally followed by `T` or a space and H:M[:S[.fraction]], then
    optionally `Z` or an offset (+HH, +HHMM, +HH:MM); Spark's own parser is more lenient
    (`1997`, `1997-01`, `+1997-01-01`, `1997-01-01 10`, zone names) and those are rejected
    as DuckDB rejects them. A value with an offset is converted to UTC; one without is read
    in the session time zone, which the profile sets to UTC
    (spark.sql.session.timeZone: a Spark `timestamp` is shown and compared in it).
-#}
{% macro spark__try_cast_timestamp_utc(expression) -%}
    {%- set iso_pattern =
        '^ *[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}'
        ~ '([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)? *$' -%}
    case
        when {{ expression }} rlike '{{ iso_pattern }}'
            then try_cast({{ expression }} as timestamp)
    end
{%- endmacro %}
