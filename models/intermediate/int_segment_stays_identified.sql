-- For every row of segment_history: the customer's previous scored as-of date and segment,
-- and segment_since, the first as-of date of the current unbroken stay in the segment.
-- A stay is broken by an as-of date (of any customer's history) at which the customer
-- was in another segment or not scored at all.
with

history as (

    select * from {{ ref('segment_history') }}

),

history_dates as (

    select
        as_of_date,
        row_number() over (order by as_of_date) as date_index
    from (select distinct as_of_date from history) as dates

),

indexed as (

    select
        history.customer_id,
        history.as_of_date,
        history.segment,
        history_dates.date_index
    from history
    inner join history_dates
        on history.as_of_date = history_dates.as_of_date

),

islands as (

    -- Consecutive date indexes in the same segment share date_index - row_number().
    select
        *,
        date_index
        - row_number() over (partition by customer_id, segment order by as_of_date)
            as stay_key
    from indexed

),

final as (

    select
        customer_id,
        as_of_date,
        segment,
        lag(as_of_date) over (partition by customer_id order by as_of_date)
            as previous_as_of_date,
        lag(segment) over (partition by customer_id order by as_of_date)
            as previous_segment,
        min(as_of_date) over (partition by customer_id, segment, stay_key)
            as segment_since
    from islands

)

select * from final
