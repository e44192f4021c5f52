-- The migration matrix between the last two as-of dates of segment_history: for each
-- segment at the earlier date, where its customers are at the later date, with the share
-- of the earlier segment's customers (entering customers have no earlier segment).
with

transitions as (

    select * from {{ ref('segment_transitions') }}

),

latest_pair as (

    select max(to_as_of_date) as to_as_of_date from transitions

),

latest as (

    select transitions.*
    from transitions
    inner join latest_pair
        on transitions.to_as_of_date = latest_pair.to_as_of_date

),

final as (

    select
        from_as_of_date,
        to_as_of_date,
        from_segment,
        to_segment,
        transition_type,
        customers,
        revenue,
        cast(customers as {{ segments.type_double() }})
        / sum(customers) over (partition by from_segment) as share_of_from_segment
    from latest

)

select * from final
