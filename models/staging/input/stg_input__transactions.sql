with

checked as (

    select * from {{ ref('stg_input__checked_transactions') }}

),

final as (

    select
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
        source_file,
        source_row_number
    from checked
    where is_accepted

)

select * from final
