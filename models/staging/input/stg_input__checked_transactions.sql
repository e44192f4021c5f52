-- Every raw row, typed, with the reason it breaks the input contract (null when it does
-- not). A view on DuckDB: each model reading it scans the file again, which costs less
-- than writing every row to a table; repeated transaction ids are looked up in the small
-- stg_input__repeated_transaction_ids table rather than grouped again, and only when that
-- table has a row: the view is made again in every build, after the table.
{#- Without a repeated transaction id (the usual case) every row is its id's first
    occurrence. Leaving the lookup out matters for CSV: a join on the row number, which
    the CSV reader's scan numbers with a window, keeps the scan and every check on one
    thread. -#}
{%- set ids_repeated = not segments.relation_is_empty(
    ref('stg_input__repeated_transaction_ids')
) %}

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
        cast(channel as {{ dbt.type_string() }}) as raw_channel,
        transaction_at as transaction_at_value,
        amount as amount_value,
        quantity as quantity_value
    from raw_transactions

),

typed as (

    select
        source_file,
        source_row_number,
        raw_transaction_id,
        raw_customer_id,
        raw_transaction_at,
        raw_amount,
        raw_status,
        raw_currency,
        raw_quantity,
        raw_product_id,
        raw_category,
        raw_channel,
        {{ segments.blank_to_null('raw_transaction_id') }} as transaction_id,
        {{ segments.blank_to_null('raw_customer_id') }} as customer_id,
        {{ segments.input_timestamp_utc('transaction_at_value', 'raw_transaction_at') }}
            as transaction_at,
        {{ segments.input_number('amount_value', 'raw_amount', 'decimal(18, 4)') }} as amount,
        coalesce(lower({{ segments.blank_to_null('raw_status') }}), 'paid') as status,
        upper({{ segments.blank_to_null('raw_currency') }}) as currency,
        {{ segments.input_number('quantity_value', 'raw_quantity', dbt.type_int()) }}
            as quantity,
        {{ segments.blank_to_null('raw_product_id') }} as product_id,
        {{ segments.blank_to_null('raw_category') }} as category,
        lower({{ segments.blank_to_null('raw_channel') }}) as channel
    from fields

),

{% if ids_repeated -%}
    repeated_rows as (

        select * from {{ ref('stg_input__repeated_transaction_ids') }}

    ),

    occurrences as (

        -- A row whose transaction_id appears once is not in repeated_rows: occurrence 1.
        select
            typed.*,
            coalesce(repeated_rows.transaction_id_occurrence, 1) as transaction_id_occurrence
        from typed
        left join repeated_rows
            on
                typed.source_file = repeated_rows.source_file
                and typed.source_row_number = repeated_rows.source_row_number

    ),
{%- else -%}
    occurrences as (

        -- stg_input__repeated_transaction_ids is empty: no id is repeated.
        select
            typed.*,
            cast(1 as {{ dbt.type_bigint() }}) as transaction_id_occurrence
        from typed

    ),
{%- endif %}

final as (

    select
        *,
        -- True when rejection_reason is null, written out as the conditions the reason
        -- checks: DuckDB evaluates this conjunction several times faster than the CASE,
        -- so stg_input__transactions and rejected_transactions filter on it (and
        -- int_customer_totals counts by it) and the reason is worked out for rejected
        -- rows only. assert_raw_rows_are_staged_or_rejected
        -- proves the two agree (every row accepted or rejected, exactly once).
        (
            transaction_id is not null
            and transaction_id_occurrence = 1
            and customer_id is not null
            and transaction_at is not null
            and amount is not null
            and status in ('paid', 'refunded', 'failed')
        ) as is_accepted,
        case
            when transaction_id is null then 'missing transaction_id'
            when transaction_id_occurrence > 1 then 'duplicate transaction_id'
            when customer_id is null then 'missing customer_id'
            -- A blank value never parses: it is told apart from an invalid one only
            -- among the rows that did not parse.
            when transaction_at is null
                then
                    case
                        when {{ segments.is_blank('raw_transaction_at') }}
                            then 'missing transaction_at'
                        else 'invalid transaction_at'
                    end
            when amount is null
                then
                    case
                        when {{ segments.is_blank('raw_amount') }} then 'missing amount'
                        else 'invalid amount'
                    end
            when status not in ('paid', 'refunded', 'failed') then 'unknown status'
        end as rejection_reason
    from occurrences

)

select * from final
