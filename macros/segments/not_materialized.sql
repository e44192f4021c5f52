{#- The hint, after a CTE's `as`, to read its query again for each reference instead of
    keeping its result: where the query is a cheap scan of a large input read twice
    (DuckDB would otherwise hold or spill every row of it). Nothing on engines without
    the hint. -#}
{% macro not_materialized() %}
    {{ return(adapter.dispatch('not_materialized', 'segments')()) }}
{% endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}
