{#-
    The partition_by config going with incremental_replace_strategy for a model keyed on
    `key`: none where delete+insert replaces the key's rows (DuckDB, PostgreSQL); the key
    itself on engines that replace whole partitions (Spark).
-#}
{% macro incremental_replace_partition_by(key) %}
    {{ return(adapter.dispatch('incremental_replace_partition_by', 'segments')(key)) }}
{% endmacro %}

{% macro default__incremental_replace_partition_by(key) %}
    {{ return(none) }}
{% endmacro %}
