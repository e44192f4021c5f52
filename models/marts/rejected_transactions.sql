-- Every input row that breaks the input contract, with its raw values and the reason.
-- Kept between builds on DuckDB: a build that appends new transaction files adds their
-- rejected rows (segments.appending); any other build checks every file again. Read
-- after int_customer_totals, whose count of accepted rows can show that none is rejected.
{{ config(
    materialized=segments.append_materialization(),
    incremental_strategy='append',
    full_refresh=(env_var('SEGMENTS_NEW_TRANSACTIONS_FILES', '') | trim == ''),
) }}
{#- When int_customer_totals accepted as many rows as the files hold, none is rejected:
    the model writes no row without reading the files a second time (the usual case, and
    a full scan with every check at 100M rows). -#}
{%- set every_row_accepted = segments.every_transaction_accepted(
    ref('int_customer_totals'), ref('int_transaction_files_counted')
) %}
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
    {% if every_row_accepted -%}
        where false
    {%- else -%}
        where not is_accepted
    {%- endif %}

)

select * from final
