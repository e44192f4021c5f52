with

base as (

    select
        *,
        {{ segments.source_row_id() }} as source_row_id
    from {{ ref('base_input__customers') }}

),

final as (

    select
        source_file,
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
        {{ segments.source_row_number() }} as source_row_number
    from base

)

select * from final
