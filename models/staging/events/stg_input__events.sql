with

checked as (

    select * from {{ ref('stg_input__checked_events') }}

),

final as (

    select
        customer_id,
        event_at,
        event_type,
        source_file,
        source_row_number
    from checked
    where rejection_reason is null

)

select * from final
