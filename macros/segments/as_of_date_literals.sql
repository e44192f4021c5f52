{#-
    The as-of dates asked for, as SQL date literals: the `as_of_dates` var (a list, used by
    backfills), else the `as_of_date` var, else an empty list (meaning: the default date).
    Each value is checked to be a real YYYY-MM-DD calendar date before it reaches SQL.
-#}
{% macro as_of_date_literals() %}
    {%- set many = segments.build_var('as_of_dates', none) -%}
    {%- set one = segments.build_var('as_of_date', none) -%}
    {%- if many is not none and many is not string and many | length > 0 -%}
        {%- set values = many -%}
        {%- set name = 'as_of_dates' -%}
    {%- elif many is string and (many | trim) != '' -%}
        {{ exceptions.raise_compiler_error(
            "segments: as_of_dates must be a list of YYYY-MM-DD dates, got '" ~ many ~ "'"
        ) }}
    {%- elif one is not none and (one | string | trim) != '' -%}
        {%- set values = [one] -%}
        {%- set name = 'as_of_date' -%}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- set text = value | string | trim -%}
        {%- set parsed = none -%}
        {%- if modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
            {%- set parsed = segments.parse_iso_date(text) -%}
        {%- endif -%}
        {%- if parsed is none -%}
            {{ exceptions.raise_compiler_error(
                "segments: " ~ name ~ " must be a calendar date written YYYY-MM-DD, got '"
                ~ text ~ "'"
            ) }}
        {%- endif -%}
        {%- set literal = "cast('" ~ parsed ~ "' as date)" -%}
        {%- if literal not in literals -%}{%- do literals.append(literal) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(literals) }}
{% endmacro %}
