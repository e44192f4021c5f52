{#- One validated condition as a SQL predicate on customer_profiles (values as literals). -#}
{% macro dynamic_segment_condition(condition) %}
    {%- set column = condition['column'] -%}
    {%- set value_type = segments.dynamic_segment_columns()[column] -%}
    {%- set operator = condition['operator'] -%}
    {%- if operator == 'is_null' -%}
        {{ return(column ~ ' is null') }}
    {%- elif operator == 'is_not_null' -%}
        {{ return(column ~ ' is not null') }}
    {%- elif operator in ['in', 'not_in'] -%}
        {%- set literals = [] -%}
        {%- for item in condition['value'] -%}
            {%- do literals.append(segments.dynamic_segment_literal(item, value_type)) -%}
        {%- endfor -%}
        {{ return(column ~ (' in (' if operator == 'in' else ' not in (')
            ~ literals | join(', ') ~ ')') }}
    {%- else -%}
        {{ return(column ~ ' ' ~ operator ~ ' '
            ~ segments.dynamic_segment_literal(condition['value'], value_type)) }}
    {%- endif -%}
{% endmacro %}
