{#-
    A cast that yields null instead of failing, accepting the numbers DuckDB's try_cast
    accepts: optional sign, ASCII digits with single `_` between them, an optional
    fraction and exponent. Spark's own try_cast differs at the edges: it also takes other
    scripts' digits (`١٢`) and rejects `1_000`, and it gives null where DuckDB rounds a
    fraction to an integer (`2.5` -> 3, half away from zero). Decimals round half up, as in
    DuckDB. Text types are a plain cast; other types Spark's try_cast.
-#}
{% macro spark__try_cast(expression, data_type) -%}
    {%- set type_name = data_type | string | lower | replace(' ', '') -%}
    {%- set is_decimal = type_name.startswith('decimal') or type_name.startswith('numeric') -%}
    {%- set is_integer = type_name in ['tinyint', 'smallint', 'int', 'integer', 'bigint'] -%}
    {%- set number_pattern =
        '^ *[+-]?([0-9]+(_[0-9]+)*([.]([0-9]+(_[0-9]+)*)?)?|[.][0-9]+(_[0-9]+)*)'
        ~ '([eE][+-]?[0-9]+(_[0-9]+)*)? *$' -%}
    {%- set digits = "replace(" ~ expression ~ ", '_', '')" -%}
    {%- if type_name == 'string' or type_name.startswith('varchar') -%}
        cast({{ expression }} as {{ data_type }})
    {%- elif is_decimal or is_integer -%}
        case
            when {{ expression }} rlike '{{ number_pattern }}'
                {%- if is_decimal %}
                then try_cast({{ digits }} as {{ data_type }})
                {%- else %}
                then try_cast(round(try_cast({{ digits }} as decimal(38, 18))) as {{ data_type }})
                {%- endif %}
        end
    {%- else -%}
        try_cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
