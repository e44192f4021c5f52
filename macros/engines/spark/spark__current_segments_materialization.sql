{#-
    A table on Spark: a Spark build publishes its warehouse tables (their Parquet files) to
    the working folder, and a view has none.
-#}
{% macro spark__current_segments_materialization() %}
    {{ return('table') }}
{% endmacro %}
