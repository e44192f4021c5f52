with

base as (

    select
        *,
        {{ segments.source_row_id() }} as source_row_id
    from {{ ref('base_input__transactions') }}

),

final as (

    select
        source_file,
        transaction_id,
        customer_id,
        transaction_at,
        amount,
        status,
        currency,
        quantity,
        product_id,
        category,
        channel,
        {{ segments.source_row_number() }} as source_row_number
    from base

)

select * from final
