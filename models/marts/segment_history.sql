-- The scored state of every customer at every as-of date built so far. Each build
-- replaces the rows of its own as-of dates (delete+insert on as_of_date; on Spark, an
-- insert_overwrite of the as_of_date partitions), so rebuilding a date never duplicates
-- it. Never dropped by --full-refresh: history cannot be rebuilt from a later
-- transactions file.
{{
    config(
        materialized='incremental',
        incremental_strategy=segments.incremental_replace_strategy(),
        unique_key='as_of_date',
        partition_by=segments.incremental_replace_partition_by('as_of_date'),
        full_refresh=false,
        on_schema_change='fail',
    )
}}

with

segmented as (

    select * from {{ ref('int_customers_segmented') }}

),

final as (

    select
        customer_id,
        as_of_date,
        recency_days,
        frequency,
        monetary,
        r_score,
        f_score,
        m_score,
        fm_score,
        rfm_cell,
        segment
    from segmented

)

select * from final
