{#-
    The operators a condition may use on a column of each value type. `in` and `not_in`
    take a list of values; `is_null` and `is_not_null` take none.
-#}
{% macro dynamic_segment_operators() %}
    {%- set equality = ['=', '!=', 'in', 'not_in', 'is_null', 'is_not_null'] -%}
    {%- set ordered = ['=', '!=', '<', '<=', '>', '>=', 'in', 'not_in', 'is_null', 'is_not_null'] -%}
    {{ return({
        'text': equality,
        'number': ordered,
        'date': ordered,
        'timestamp': ordered,
        'boolean': ['=', '!=', 'is_null', 'is_not_null'],
    }) }}
{% endmacro %}
