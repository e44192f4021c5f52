{#- A YYYY-MM-DD string as an ISO date string, or none when it is not a real date. -#}
{% macro parse_iso_date(text) %}
    {%- set parts = text.split('-') | map('int') | list -%}
    {%- set year, month, day = parts[0], parts[1], parts[2] -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set days_in_month = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {%- if year < 1 or month < 1 or month > 12 or day < 1 or day > days_in_month[month - 1] -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
