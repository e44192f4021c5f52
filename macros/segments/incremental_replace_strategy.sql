{#-
    The incremental strategy that replaces the rows of the keys a run produces and keeps
    the others (segment_history, keyed on as_of_date): delete+insert on DuckDB and
    PostgreSQL. Engines without it replace partitions instead: see
    incremental_replace_partition_by.
-#}
{% macro incremental_replace_strategy() %}
    {{ return(adapter.dispatch('incremental_replace_strategy', 'segments')()) }}
{% endmacro %}

{% macro default__incremental_replace_strategy() %}
    {{ return('delete+insert') }}
{% endmacro %}
