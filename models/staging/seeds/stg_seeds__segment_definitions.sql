with

definitions as (

    select * from {{ ref('segment_definitions') }}

),

final as (

    select
        segment_order,
        description as segment_description,
        recommended_action,
        trim(segment) as segment
    from definitions

)

select * from final
