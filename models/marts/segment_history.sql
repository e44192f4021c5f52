-- The scored state of every customer at every as-of date built so far (every column of
-- int_customers_segmented; customer_segments reads its current date from here), with
-- where the customer was before: previous_as_of_date and previous_segment (the customer's previous
-- row), and segment_since (the first date of the current unbroken stay in the segment; a
-- history date at which the customer was in another segment or not scored breaks it).
-- Each build replaces the rows of its own as-of dates (delete+insert on as_of_date; on
-- Spark, an insert_overwrite of the as_of_date partitions), so rebuilding a date never
-- duplicates it. The stays are worked out when a date is written, from the rows of the
-- run and each customer's latest earlier row, not over all history again: a build adding
-- the latest date reads one earlier date. Loaded dates after the run's first date are
-- written again, as their stays may change. Never dropped by --full-refresh: history
-- cannot be rebuilt from a later transactions file.
-- depends_on: {{ ref('int_as_of_dates_resolved') }}
{{
    config(
        materialized='incremental',
        incremental_strategy=segments.incremental_replace_strategy(),
        unique_key='as_of_date',
        partition_by=segments.incremental_replace_partition_by('as_of_date'),
        full_refresh=false,
        on_schema_change='append_new_columns',
        contract={'enforced': segments.columns_declared()},
    )
}}
{#- A history written before the stays were stored has them added, all dates once. -#}
{%- set loaded_stays = is_incremental() and segments.relation_has_column(this, 'segment_since') %}
{#- A history written before the purchase figures were stored has them null on its rows. -#}
{%- set loaded_purchases = (
    not is_incremental() or segments.relation_has_column(this, 'avg_order_value')
) %}
{#- The scored figures of a history row, as int_customers_segmented gives them. -#}
{%- set figures = [
    'customer_id', 'as_of_date', 'recency_days', 'frequency', 'monetary', 'r_score',
    'f_score', 'm_score', 'fm_score', 'rfm_cell', 'segment',
] %}
{%- set purchases = ['first_purchase_at', 'last_purchase_at', 'avg_order_value'] %}
{#- Without as-of dates given, or with one, a build scores one date; a first build of one
    date writes that date alone, and its stays need no window. -#}
{%- set literals = segments.as_of_date_literals() %}
{%- set one_date_written = literals | length <= 1 and not is_incremental() %}
{#- The loaded rows this build writes again: those of dates after the run's first one
    (every loaded date, when the loaded rows carry no stays). -#}
{%- set restated_loaded = (
    'as_of_date not in (select run_dates.as_of_date from run_dates)'
    ~ (' and as_of_date > (select min(run_dates.as_of_date) from run_dates)'
        if loaded_stays else '')
) %}
{%- set missing_purchases = [
    'cast(null as ' ~ dbt.type_timestamp() ~ ') as first_purchase_at',
    'cast(null as ' ~ dbt.type_timestamp() ~ ') as last_purchase_at',
    'cast(null as ' ~ dbt.type_numeric() ~ ') as avg_order_value',
] %}

with

segmented as (

    select {{ (figures + purchases) | join(', ') }}
    from {{ ref('int_customers_segmented') }}

),

run_dates as (

    -- The dates this build scores. Without dates given, int_as_of_dates_resolved holds
    -- the one date of the scored customers, so they are not read twice (DuckDB would
    -- then keep all of them in memory, or spill them, to read them again).
    {% if literals -%}
        select distinct as_of_date from segmented
    {%- else -%}
        select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    {%- endif %}

),

restated as (

    -- Every row this build writes: the run's dates, and the loaded dates after the
    -- run's first one (every loaded date when the loaded rows carry no stays).
    select * from segmented
    {%- if is_incremental() %}

        union all

        select
            {{ figures | join(', ') }},
            {{ (purchases if loaded_purchases else missing_purchases) | join(', ') }}
        from {{ this }}
        where {{ restated_loaded }}
    {%- endif %}

),

earlier as (

    -- Loaded rows before the run's first date, which keep their stays.
    {% if loaded_stays -%}
        select
            customer_id,
            as_of_date,
            segment,
            segment_since
        from {{ this }}
        where as_of_date < (select min(run_dates.as_of_date) from run_dates)
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as customer_id,
            as_of_date,
            cast(null as {{ dbt.type_string() }}) as segment,
            as_of_date as segment_since
        from run_dates
        where false
    {%- endif %}

),

previous_date as (

    select max(as_of_date) as as_of_date from earlier

),

at_previous_date as (

    select earlier.*
    from earlier
    inner join previous_date
        on earlier.as_of_date = previous_date.as_of_date

),

before_gap as (

    -- Customers not scored at the previous date but at an older one (their history has
    -- a gap): their latest older row. Usually none; one not written by this build
    -- matches no row of final.
    select
        earlier.customer_id,
        max(earlier.as_of_date) as as_of_date
    from earlier
    where
        earlier.as_of_date < (select previous_date.as_of_date from previous_date)
        and earlier.customer_id
        not in (select at_previous_date.customer_id from at_previous_date)
    group by earlier.customer_id

),

seeds as (

    -- Each customer's latest loaded row before the run's first date.
    select
        customer_id,
        as_of_date,
        segment,
        segment_since,
        true as is_at_previous_date
    from at_previous_date

    union all

    select
        earlier.customer_id,
        earlier.as_of_date,
        earlier.segment,
        earlier.segment_since,
        false as is_at_previous_date
    from earlier
    inner join before_gap
        on
            earlier.customer_id = before_gap.customer_id
            and earlier.as_of_date = before_gap.as_of_date

),

timeline as (

    -- The dates written, numbered from 1 (the previous loaded date would be 0).
    select
        as_of_date,
        row_number() over (order by as_of_date) as date_index
    from (
        select run_dates.as_of_date from run_dates
        {%- if is_incremental() %}
            union
            select as_of_date from {{ this }}
            where {{ restated_loaded }}
        {%- endif %}
    ) as dates

),

indexed as (

    select
        restated.*,
        timeline.date_index
    from restated
    inner join timeline
        on restated.as_of_date = timeline.as_of_date

),

{%- if not one_date_written %}

    islands as (

        -- Several dates may be written (a backfill, or a date built before loaded ones):
        -- consecutive date indexes in the same segment share date_index - row_number().
        select
            *,
            date_index - row_number() over (
                partition by customer_id, segment order by as_of_date
            ) as stay_key
        from indexed
        where (select count(*) from timeline) > 1

    ),
{%- endif %}

stays as (

    {% if not one_date_written -%}
        select
            *,
            lag(as_of_date) over (partition by customer_id order by as_of_date)
                as run_previous_as_of_date,
            lag(segment) over (partition by customer_id order by as_of_date)
                as run_previous_segment,
            min(as_of_date) over (partition by customer_id, segment, stay_key)
                as stay_start,
            min(date_index) over (partition by customer_id, segment, stay_key)
                as stay_start_index
        from islands

        union all

    {% endif -%}
    -- One date written (a first build, or a build adding the latest date): each
    -- customer has one row, and no window (each a sort of every row) is needed.
    select
        *,
        cast(null as {{ dbt.type_bigint() }}) as stay_key,
        cast(null as date) as run_previous_as_of_date,
        cast(null as {{ dbt.type_string() }}) as run_previous_segment,
        as_of_date as stay_start,
        date_index as stay_start_index
    from indexed
    {%- if not one_date_written %}
        where (select count(*) from timeline) = 1
    {%- endif %}

),

final as (

    select
        stays.customer_id,
        stays.as_of_date,
        stays.recency_days,
        stays.frequency,
        stays.monetary,
        stays.r_score,
        stays.f_score,
        stays.m_score,
        stays.fm_score,
        stays.rfm_cell,
        stays.segment,
        stays.first_purchase_at,
        stays.last_purchase_at,
        stays.avg_order_value,
        coalesce(stays.run_previous_as_of_date, seeds.as_of_date) as previous_as_of_date,
        case
            when stays.run_previous_as_of_date is null then seeds.segment
            else stays.run_previous_segment
        end as previous_segment,
        -- A stay starting at the first date written continues the one the customer was
        -- in at the previous loaded date, if in the same segment then.
        case
            when
                stays.stay_start_index = 1
                and seeds.is_at_previous_date
                and seeds.segment = stays.segment
                then seeds.segment_since
            else stays.stay_start
        end as segment_since
    from stays
    left join seeds
        on stays.customer_id = seeds.customer_id

)

select * from final
