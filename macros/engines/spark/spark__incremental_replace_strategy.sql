{#-
    Spark has no delete+insert: insert_overwrite with dynamic partition overwrite
    (spark.sql.sources.partitionOverwriteMode = dynamic, set by dbt-spark for a partitioned
    model) replaces exactly the partitions the run produces and keeps the others. The model
    is partitioned by its key (spark__incremental_replace_partition_by).
-#}
{% macro spark__incremental_replace_strategy() %}
    {{ return('insert_overwrite') }}
{% endmacro %}
