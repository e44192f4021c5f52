-- For each pair of consecutive as-of dates, the transitions add up to the customers
-- scored at either date.
with

history as (

    select * from {{ ref('segment_history') }}

),

transitions as (

    select * from {{ ref('segment_transitions') }}

),

moved as (

    select
        from_as_of_date,
        to_as_of_date,
        sum(customers) as customers_in_transitions
    from transitions
    group by from_as_of_date, to_as_of_date

),

scored as (

    select
        moved.from_as_of_date,
        moved.to_as_of_date,
        moved.customers_in_transitions,
        count(distinct history.customer_id) as customers_at_either_date
    from moved
    inner join history
        on history.as_of_date in (moved.from_as_of_date, moved.to_as_of_date)
    group by moved.from_as_of_date, moved.to_as_of_date, moved.customers_in_transitions

)

select *
from scored
where customers_in_transitions != customers_at_either_date
