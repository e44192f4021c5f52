-- Every customer known at the current as-of date, one row each: in the customers file
-- (signed up before the as-of date, or with no signup date), with an accepted transaction
-- of any status before it, or with an accepted event before it. A table (an exception to
-- the intermediate default): customer_profiles reads it directly and through the
-- lifecycle stages, and the union of three inputs is best computed once.
{{ config(materialized='table') }}

with

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

customers as (

    select * from {{ ref('stg_input__customers') }}

),

transactions as (

    -- Already limited to transactions before the latest (current) as-of date.
    select * from {{ ref('int_transactions_classified') }}

),

events as (

    select * from {{ ref('stg_input__events') }}

),

sightings as (

    select
        customers.customer_id,
        1 as in_customers_file,
        0 as in_transactions,
        0 as in_events
    from customers
    cross join as_of_dates
    where
        customers.signed_up_at is null
        or customers.signed_up_at < cast(as_of_dates.as_of_date as {{ dbt.type_timestamp() }})

    union all

    select distinct
        customer_id,
        0 as in_customers_file,
        1 as in_transactions,
        0 as in_events
    from transactions

    union all

    select distinct
        events.customer_id,
        0 as in_customers_file,
        0 as in_transactions,
        1 as in_events
    from events
    cross join as_of_dates
    where events.event_at < cast(as_of_dates.as_of_date as {{ dbt.type_timestamp() }})

),

combined as (

    select
        customer_id,
        max(in_customers_file) = 1 as has_customer_record,
        max(in_transactions) = 1 as has_transactions,
        max(in_events) = 1 as has_events
    from sightings
    group by customer_id

),

final as (

    select
        combined.customer_id,
        combined.has_customer_record,
        combined.has_transactions,
        combined.has_events,
        as_of_dates.as_of_date
    from combined
    cross join as_of_dates

)

select * from final
