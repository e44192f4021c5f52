with

base as (

    select
        *,
        {{ segments.source_row_id() }} as source_row_id
    from {{ ref('base_input__events') }}

),

final as (

    select
        source_file,
        customer_id,
        event_at,
        event_type,
        {{ segments.source_row_number() }} as source_row_number
    from base

)

select * from final
