-- Every events-file row that breaks the input contract, with its raw values and the
-- reason. Empty when no events file is given.
with

checked as (

    select * from {{ ref('stg_input__checked_events') }}

),

final as (

    select
        source_file,
        source_row_number,
        rejection_reason,
        raw_customer_id as customer_id,
        raw_event_at as event_at,
        raw_event_type as event_type
    from checked
    where rejection_reason is not null

)

select * from final
