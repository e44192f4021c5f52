{#-
    Why `value` cannot be compared with a column of `value_type`, or none when it can:
    text takes a string, number a number (or a string of digits with an optional sign,
    decimals and exponent), date and timestamp a YYYY-MM-DD calendar date, boolean true or false.
    Strings may not hold a backslash or a NUL character; quotes are escaped when rendered.
-#}
{% macro dynamic_segment_value_problem(value, value_type) %}
    {%- if value is none -%}
        {{ return('needs a value') }}
    {%- elif value is mapping or (value is iterable and value is not string) -%}
        {{ return('must be a single value, got a ' ~ ('mapping' if value is mapping else 'list')) }}
    {%- endif -%}
    {%- if value_type == 'boolean' -%}
        {%- if value is not boolean -%}
            {{ return("must be true or false, got '" ~ value ~ "'") }}
        {%- endif -%}
    {%- elif value_type == 'number' -%}
        {%- if value is boolean -%}
            {{ return("must be a number, got '" ~ value ~ "'") }}
        {%- elif value is number -%}
            {%- if (value | string | lower) in ['nan', 'inf', '-inf'] -%}
                {{ return("must be a finite number, got '" ~ value ~ "'") }}
            {%- endif -%}
        {%- elif value is string
            and modules.re.fullmatch('-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?', value) -%}
        {%- else -%}
            {{ return("must be a number, got '" ~ value ~ "'") }}
        {%- endif -%}
    {%- elif value_type in ['date', 'timestamp'] -%}
        {%- set text = value | string -%}
        {%- if value is number or value is boolean
            or not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text)
            or segments.parse_iso_date(text) is none -%}
            {{ return("must be a calendar date written YYYY-MM-DD, got '" ~ value ~ "'") }}
        {%- endif -%}
    {%- else -%}
        {%- if value is not string -%}
            {{ return("must be text (quote it), got '" ~ value ~ "'") }}
        {%- elif '\\' in value or '\x00' in value -%}
            {{ return('must not contain a backslash or a NUL character') }}
        {%- endif -%}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}
