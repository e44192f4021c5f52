{#- Spark partitions by the key, so that insert_overwrite replaces exactly the key's rows. -#}
{% macro spark__incremental_replace_partition_by(key) %}
    {{ return(key) }}
{% endmacro %}
