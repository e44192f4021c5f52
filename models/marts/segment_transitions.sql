-- For each pair of consecutive as-of dates in segment_history: how many customers, and
-- how much of their net revenue, moved from each segment to each segment. Customers first
-- scored at the later date enter (from_segment null); customers scored at the earlier
-- date but not the later one leave (to_segment null). Each build replaces the pairs ending
-- at a date it wrote or after (delete+insert on to_as_of_date), reading history from the
-- date before its first one: a build adding the latest date reads two dates, not all
-- history.
-- depends_on: {{ ref('int_customers_segmented') }}
{{
    config(
        materialized='incremental',
        incremental_strategy=segments.incremental_replace_strategy(),
        unique_key='to_as_of_date',
        partition_by=segments.incremental_replace_partition_by('to_as_of_date'),
        on_schema_change='fail',
    )
}}

with

history as (

    select * from {{ ref('segment_history') }}

),

dates as (

    select distinct as_of_date from history
    {%- if is_incremental() %}
        {%- set run_start -%}
            (select min(run.as_of_date) from {{ ref('int_customers_segmented') }} as run)
        {%- endset %}
        -- From the history date before the run's first date (the first pair to replace).
        where
            as_of_date >= coalesce(
                (
                    select max(earlier.as_of_date)
                    from history as earlier
                    where earlier.as_of_date < {{ run_start }}
                ),
                {{ run_start }}
            )
    {%- endif %}

),

date_pairs as (

    select
        previous_as_of_date as from_as_of_date,
        as_of_date as to_as_of_date
    from (
        select
            as_of_date,
            lag(as_of_date) over (order by as_of_date) as previous_as_of_date
        from dates
    ) as ordered
    where previous_as_of_date is not null

),

from_rows as (

    select
        date_pairs.from_as_of_date,
        date_pairs.to_as_of_date,
        history.customer_id,
        history.segment,
        history.monetary
    from date_pairs
    inner join history
        on date_pairs.from_as_of_date = history.as_of_date

),

to_rows as (

    select
        date_pairs.from_as_of_date,
        date_pairs.to_as_of_date,
        history.customer_id,
        history.segment,
        history.monetary
    from date_pairs
    inner join history
        on date_pairs.to_as_of_date = history.as_of_date

),

moves as (

    select
        from_rows.segment as from_segment,
        to_rows.segment as to_segment,
        coalesce(from_rows.from_as_of_date, to_rows.from_as_of_date) as from_as_of_date,
        coalesce(from_rows.to_as_of_date, to_rows.to_as_of_date) as to_as_of_date,
        case
            when from_rows.customer_id is null then 'entered'
            when to_rows.customer_id is null then 'left'
            when from_rows.segment = to_rows.segment then 'stayed'
            else 'moved'
        end as transition_type,
        -- Revenue at the later date; for a customer who left, at the earlier date.
        coalesce(to_rows.monetary, from_rows.monetary) as monetary
    from from_rows
    full outer join to_rows
        on
            from_rows.to_as_of_date = to_rows.to_as_of_date
            and from_rows.customer_id = to_rows.customer_id

),

final as (

    select
        from_as_of_date,
        to_as_of_date,
        from_segment,
        to_segment,
        transition_type,
        count(*) as customers,
        sum(monetary) as revenue
    from moves
    group by from_as_of_date, to_as_of_date, from_segment, to_segment, transition_type

)

select * from final
