-- Every input row that breaks the input contract, with its raw values and the reason.
-- Kept between builds on DuckDB: a build that appends new transaction files adds their
-- rejected rows (segments.appending); any other build checks every file again.
{{ config(
    materialized=segments.append_materialization(),
    incremental_strategy='append',
    full_refresh=(env_var('SEGMENTS_NEW_TRANSACTIONS_FILES', '') | trim == ''),
) }}
with

checked as (

    select * from {{ ref('stg_input__checked_transactions') }}

),

final as (

    select
        source_file,
        source_row_number,
        rejection_reason,
        raw_transaction_id as transaction_id,
        raw_customer_id as customer_id,
        raw_transaction_at as transaction_at,
        raw_amount as amount,
        raw_status as status,
        raw_currency as currency,
        raw_quantity as quantity,
        raw_product_id as product_id,
        raw_category as category,
        raw_channel as channel
    from checked
    where not is_accepted

)

select * from final
