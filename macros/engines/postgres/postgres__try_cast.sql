{#-
    A cast that yields null instead of failing, accepting what DuckDB's try_cast accepts.
    Numbers: optional sign, digits with single `_` between them, an optional fraction and
    exponent, surrounding whitespace; NaN, inf and values out of the type's range (after
    rounding half away from zero, as DuckDB rounds) give null, and so do exponents beyond
    +-999 (PostgreSQL's numeric input stops at 1000). Integers round like DuckDB's
    (`2.5` is 3); hexadecimal and binary literals, which DuckDB takes for integers, give null.
    Supported types: decimal(p, s) / numeric(p, s), smallint, integer, bigint, date (see
    postgres_parse_datetime); text types are a plain cast. A constant input is safe: every
    cast sits behind a CASE whose condition is checked first.
-#}
{% macro postgres__try_cast(expression, data_type) -%}
    {%- set type_name = (data_type | string | lower | replace(' ', '')) -%}
    {%- set decimal = modules.re.fullmatch('(?:decimal|numeric)\\((\\d+),(\\d+)\\)', type_name) -%}
    {%- set integer_ranges = {
        'smallint': ['-32768', '32767'], 'int2': ['-32768', '32767'],
        'integer': ['-2147483648', '2147483647'], 'int': ['-2147483648', '2147483647'],
        'int4': ['-2147483648', '2147483647'],
        'bigint': ['-9223372036854775808', '9223372036854775807'],
        'int8': ['-9223372036854775808', '9223372036854775807'],
    } -%}
    {%- if type_name in ['text', 'varchar', 'string'] or type_name.startswith('varchar(') -%}
        cast({{ expression }} as {{ data_type }})
    {%- elif type_name == 'date' -%}
        {{ segments.postgres_parse_datetime(expression, 'date') }}
    {%- elif not decimal and type_name not in integer_ranges -%}
        {{ exceptions.raise_compiler_error(
            "segments: try_cast to " ~ data_type ~ " is not implemented for postgres"
        ) }}
    {%- else -%}
    {%- set number_pattern =
        '^[ \\t\\n\\r\\f\\v]*[+-]?([0-9]+(_[0-9]+)*(\\.([0-9]+(_[0-9]+)*)?)?|\\.[0-9]+(_[0-9]+)*)'
        ~ '([eE][+-]?[0-9]+(_[0-9]+)*)?[ \\t\\n\\r\\f\\v]*$' -%}
    {%- set digits = "replace(" ~ expression ~ ", '_', '')" -%}
    {%- set number = "cast(" ~ digits ~ " as numeric)" -%}
    case
        when
            {{ expression }} ~ '{{ number_pattern }}'
            and {{ digits }} !~ '[eE][+-]?0*[1-9][0-9]{3}'
            then
                case
                {%- if decimal %}
                    {%- set scale = decimal.group(2) | int %}
                    {%- set integer_digits = (decimal.group(1) | int) - scale %}
                    when abs(round({{ number }}, {{ scale }})) < 1{{ '0' * integer_digits }}
                        then cast({{ number }} as {{ data_type }})
                {%- else %}
                    {%- set low, high = integer_ranges[type_name] %}
                    when round({{ number }}) between {{ low }} and {{ high }}
                        then cast(round({{ number }}) as {{ data_type }})
                {%- endif %}
                end
    end
    {%- endif -%}
{%- endmacro %}
