-- One row per segment of the grid in use (segments without customers included).
with

customers as (

    select * from {{ ref('customer_segments') }}

),

grid as (

    select * from {{ ref('stg_seeds__segment_grid') }}

),

definitions as (

    select * from {{ ref('stg_seeds__segment_definitions') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

known_segments as (

    select distinct segment from grid

),

per_segment as (

    select
        segment,
        count(*) as customers,
        sum(monetary) as revenue,
        avg(recency_days) as avg_recency_days,
        avg(frequency) as avg_frequency,
        avg(monetary) as avg_monetary
    from customers
    group by segment

),

totals as (

    select
        count(*) as total_customers,
        sum(monetary) as total_revenue
    from customers

),

final as (

    select
        known_segments.segment,
        definitions.segment_order,
        definitions.segment_description as description,
        definitions.recommended_action,
        coalesce(per_segment.customers, 0) as customers,
        cast(coalesce(per_segment.customers, 0) as {{ segments.type_double() }})
        / nullif(totals.total_customers, 0) as share_of_customers,
        coalesce(per_segment.revenue, 0) as revenue,
        cast(coalesce(per_segment.revenue, 0) as {{ segments.type_double() }})
        / nullif(totals.total_revenue, 0) as share_of_revenue,
        per_segment.avg_recency_days,
        per_segment.avg_frequency,
        per_segment.avg_monetary,
        as_of.as_of_date
    from known_segments
    cross join totals
    cross join as_of
    left join per_segment
        on known_segments.segment = per_segment.segment
    left join definitions
        on known_segments.segment = definitions.segment

)

select * from final
