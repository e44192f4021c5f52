{{ config(tags=['profiles']) }}
-- customer_profiles holds every scored customer of customer_segments with the same segment,
-- and a customer is a prospect exactly when it is not scored.
with

profiles as (

    select * from {{ ref('customer_profiles') }}

),

scored as (

    select * from {{ ref('customer_segments') }}

),

compared as (

    select
        coalesce(profiles.customer_id, scored.customer_id) as customer_id,
        case
            when profiles.customer_id is null then 'scored customer missing from profiles'
            when scored.customer_id is null and profiles.lifecycle_stage != 'prospect'
                then 'customer not scored but not a prospect'
            when scored.customer_id is not null and profiles.lifecycle_stage = 'prospect'
                then 'scored customer is a prospect'
            when scored.segment != profiles.segment then 'segment differs'
        end as problem
    from profiles
    full outer join scored
        on profiles.customer_id = scored.customer_id

)

select *
from compared
where problem is not null
