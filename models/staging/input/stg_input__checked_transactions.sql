-- Materialized as a table (an exception to the staging default): validation runs once,
-- and both stg_input__transactions and rejected_transactions read its result.
{{ config(materialized='table') }}

with

raw_transactions as (

    select * from {{ ref('stg_input__raw_transactions') }}

),

fields as (

    select
        source_file,
        source_row_number,
        cast(transaction_id as {{ dbt.type_string() }}) as raw_transaction_id,
        cast(customer_id as {{ dbt.type_string() }}) as raw_customer_id,
        cast(transaction_at as {{ dbt.type_string() }}) as raw_transaction_at,
        cast(amount as {{ dbt.type_string() }}) as raw_amount,
        cast(status as {{ dbt.type_string() }}) as raw_status,
        cast(currency as {{ dbt.type_string() }}) as raw_currency,
        cast(quantity as {{ dbt.type_string() }}) as raw_quantity,
        cast(product_id as {{ dbt.type_string() }}) as raw_product_id,
        cast(category as {{ dbt.type_string() }}) as raw_category,
        cast(channel as {{ dbt.type_string() }}) as raw_channel
    from raw_transactions

),

typed as (

    select
        *,
        nullif(trim(raw_transaction_id), '') as transaction_id,
        nullif(trim(raw_customer_id), '') as customer_id,
        {{ segments.try_cast_timestamp_utc('trim(raw_transaction_at)') }} as transaction_at,
        {{ segments.try_cast('trim(raw_amount)', 'decimal(18, 4)') }} as amount,
        coalesce(nullif(lower(trim(raw_status)), ''), 'paid') as status,
        nullif(upper(trim(raw_currency)), '') as currency,
        {{ segments.try_cast('trim(raw_quantity)', dbt.type_int()) }} as quantity,
        nullif(trim(raw_product_id), '') as product_id,
        nullif(trim(raw_category), '') as category,
        nullif(lower(trim(raw_channel)), '') as channel
    from fields

),

repeated_ids as (

    select transaction_id
    from typed
    where transaction_id is not null
    group by transaction_id
    having count(*) > 1

),

repeated_rows as (

    -- Only rows of repeated ids are ranked: a window over every (wide) row is slow.
    select
        typed.source_file,
        typed.source_row_number,
        row_number() over (
            partition by typed.transaction_id
            order by typed.source_file, typed.source_row_number
        ) as transaction_id_occurrence
    from typed
    inner join repeated_ids
        on typed.transaction_id = repeated_ids.transaction_id

),

occurrences as (

    -- The first row of a repeated transaction_id (in file order) is kept.
    select
        typed.*,
        coalesce(repeated_rows.transaction_id_occurrence, 1) as transaction_id_occurrence
    from typed
    left join repeated_rows
        on
            typed.source_file = repeated_rows.source_file
            and typed.source_row_number = repeated_rows.source_row_number

),

final as (

    select
        *,
        case
            when transaction_id is null then 'missing transaction_id'
            when transaction_id_occurrence > 1 then 'duplicate transaction_id'
            when customer_id is null then 'missing customer_id'
            when {{ segments.is_blank('raw_transaction_at') }} then 'missing transaction_at'
            when transaction_at is null then 'invalid transaction_at'
            when {{ segments.is_blank('raw_amount') }} then 'missing amount'
            when amount is null then 'invalid amount'
            when status not in ('paid', 'refunded', 'failed') then 'unknown status'
        end as rejection_reason
    from occurrences

)

select * from final
