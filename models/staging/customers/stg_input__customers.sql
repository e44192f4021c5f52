with

checked as (

    select * from {{ ref('stg_input__checked_customers') }}

),

final as (

    select
        customer_id,
        email,
        birth_date,
        gender,
        education,
        city,
        region,
        country,
        acquisition_source,
        signed_up_at,
        preferred_channel,
        source_file,
        source_row_number
    from checked
    where rejection_reason is null

)

select * from final
