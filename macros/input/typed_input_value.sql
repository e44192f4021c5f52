{#-
    Type an input column for staging. `value` is the column as the reader gave it (text
    for CSV, as stored for Parquet), `text` its value cast to text. Everywhere the text is
    trimmed and parsed; on DuckDB a value already stored with a usable type is cast
    directly, without the round trip through text (the column's type is known when the
    query is bound, so only one branch runs).
-#}
{% macro input_timestamp_utc(value, text) %}
    {{ return(adapter.dispatch('input_timestamp_utc', 'segments')(value, text)) }}
{% endmacro %}

{% macro default__input_timestamp_utc(value, text) -%}
    {{ segments.try_cast_timestamp_utc('trim(' ~ text ~ ')') }}
{%- endmacro %}

{#-
    DuckDB: text shaped `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` (or with `T`) has no room for
    a UTC offset, and is cast straight to a timestamp, taken as UTC; other text goes
    through the time-zone-aware parse, which is several times slower. Both give the same
    result on text without an offset; the test on the shape costs far less than the parse.
-#}
{% macro duckdb__input_timestamp_utc(value, text) -%}
    {%- set trimmed = segments.trim_text(text) -%}
    case typeof({{ value }})
        when 'VARCHAR' then
            case
                when
                    length({{ trimmed }}) = 10
                    or (
                        length({{ trimmed }}) = 19
                        and substr({{ trimmed }}, 14, 1) = ':'
                        and substr({{ trimmed }}, 17, 1) = ':'
                    )
                    then try_cast({{ trimmed }} as timestamp)
                else {{ segments.try_cast_timestamp_utc(trimmed) }}
            end
        when 'TIMESTAMP WITH TIME ZONE'
            then timezone('UTC', try_cast({{ value }} as timestamptz))
        else try_cast({{ value }} as timestamp)
    end
{%- endmacro %}

{#- A number of `data_type` from an input column, or null when it does not parse. -#}
{% macro input_number(value, text, data_type) %}
    {{ return(adapter.dispatch('input_number', 'segments')(value, text, data_type)) }}
{% endmacro %}

{% macro default__input_number(value, text, data_type) -%}
    {{ segments.try_cast('trim(' ~ text ~ ')', data_type) }}
{%- endmacro %}

{#-
    DuckDB: a value stored as an exact number (integer or decimal) is cast directly; text
    and floating-point values are parsed from their text, as everywhere.
-#}
{% macro duckdb__input_number(value, text, data_type) -%}
    case
        when typeof({{ value }}) in ('VARCHAR', 'DOUBLE', 'FLOAT')
            then try_cast({{ segments.trim_text(text) }} as {{ data_type }})
        else try_cast({{ value }} as {{ data_type }})
    end
{%- endmacro %}

{#-
    `trim(expression)`: leading and trailing spaces removed. On DuckDB, whose trim removes
    spaces only, a value that neither starts nor ends with a space is returned as it is:
    most values need no trimming, and trimming every one costs more than the test.
-#}
{% macro trim_text(expression) %}
    {{ return(adapter.dispatch('trim_text', 'segments')(expression)) }}
{% endmacro %}

{% macro default__trim_text(expression) -%}
    trim({{ expression }})
{%- endmacro %}

{% macro duckdb__trim_text(expression) -%}
    case
        when {{ expression }} like ' %' or {{ expression }} like '% ' then trim({{ expression }})
        else {{ expression }}
    end
{%- endmacro %}

{#-
    `nullif(trim(expression), '')`: the text trimmed, null when blank. On DuckDB a value
    with no space at either end is only compared with '' (the trimmed text is computed
    once, and only for the values that need it): nullif() repeats its argument, which a
    filter pushed into the input file's scan then evaluates twice.
-#}
{% macro blank_to_null(expression) %}
    {{ return(adapter.dispatch('blank_to_null', 'segments')(expression)) }}
{% endmacro %}

{% macro default__blank_to_null(expression) -%}
    nullif(trim({{ expression }}), '')
{%- endmacro %}

{% macro duckdb__blank_to_null(expression) -%}
    case
        when {{ expression }} like ' %' or {{ expression }} like '% '
            then nullif(trim({{ expression }}), '')
        when {{ expression }} = '' then null
        else {{ expression }}
    end
{%- endmacro %}
