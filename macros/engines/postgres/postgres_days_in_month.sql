{#- The number of days in a month (Gregorian calendar), from integer expressions. -#}
{% macro postgres_days_in_month(year, month) -%}
    case
        when ({{ month }}) = 2
            then case
                when ({{ year }}) % 4 = 0 and (({{ year }}) % 100 != 0 or ({{ year }}) % 400 = 0)
                    then 29
                else 28
            end
        when ({{ month }}) in (4, 6, 9, 11) then 30
        else 31
    end
{%- endmacro %}
