with

definitions as (

    select * from {{ ref('segment_definitions') }}

),

final as (

    select
        trim(segment) as segment,
        segment_order,
        description as segment_description,
        recommended_action
    from definitions

)

select * from final
