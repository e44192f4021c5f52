{#-
    The `as_of_date` var as a SQL date literal, or none when unset. The value is checked
    to be a real YYYY-MM-DD calendar date before it reaches SQL.
-#}
{% macro as_of_date_literal() %}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or (value | string | trim) == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set parsed = none -%}
    {%- if modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
        {%- set parsed = segments.parse_iso_date(text) -%}
    {%- endif -%}
    {%- if parsed is none -%}
        {{ exceptions.raise_compiler_error(
            "segments: as_of_date must be a calendar date written YYYY-MM-DD, got '" ~ text ~ "'"
        ) }}
    {%- endif -%}
    {{ return("cast('" ~ parsed ~ "' as date)") }}
{% endmacro %}
