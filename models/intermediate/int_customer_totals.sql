-- One row per customer with at least one accepted transaction: the totals a latest-date
-- build scores from. Kept between builds on DuckDB: a build that appends new transaction
-- files (segments.appending) reads only them and adds their totals to the customers they
-- touch, every total being a count, sum, minimum or maximum; any other build recomputes
-- it from every file. A build at given as-of dates leaves it empty: it reads the
-- transactions per date instead (int_customers_aggregated). accepted_rows, summed over
-- the customers, tells rejected_transactions whether any input row was rejected.
{{ config(
    materialized=segments.append_materialization(),
    unique_key='customer_id',
    incremental_strategy='delete+insert',
    full_refresh=(env_var('SEGMENTS_NEW_TRANSACTIONS_FILES', '') | trim == ''),
    database=segments.customer_totals_database(),
    pre_hook="{{ segments.drop_target_database_namesake() }}",
) }}
{#- Totals written before accepted_rows existed keep it null: rejected_transactions then
    reads the files. -#}
{%- set loaded_has_accepted_rows = (
    is_incremental() and segments.relation_has_column(this, 'accepted_rows')
) %}

with

checked as (

    select * from {{ ref('stg_input__checked_transactions') }}

),

classified as (

    -- Every raw row, a rejected one of kind 'rejected' and without a timestamp, so no
    -- total counts it. Filtering on is_accepted instead (stg_input__transactions) makes
    -- DuckDB type each value twice, once to test it and once to sum it: at 10M CSV rows
    -- 2.5 s of CPU more.
    select
        customer_id,
        case when is_accepted then transaction_at end as transaction_at,
        amount,
        case
            when is_accepted then {{ segments.transaction_kind('status', 'amount') }}
            else 'rejected'
        end as transaction_kind
    from checked
    {%- if segments.as_of_date_literals() %}
        where false
    {%- endif %}

),

added as (

    select
        customer_id,
        {{ segments.transaction_totals() }},
        count(case when transaction_kind <> 'rejected' then 1 end) as accepted_rows
    from classified
    group by customer_id
    having count(case when transaction_kind <> 'rejected' then 1 end) > 0

),

final as (

    {% if is_incremental() -%}
        -- Customers the new files touch: their loaded totals plus the new ones.
        select
            added.customer_id,
            least(added.first_purchase_at, loaded.first_purchase_at) as first_purchase_at,
            greatest(added.last_purchase_at, loaded.last_purchase_at) as last_purchase_at,
            added.frequency + coalesce(loaded.frequency, 0) as frequency,
            added.paid_amount + coalesce(loaded.paid_amount, 0) as paid_amount,
            added.refunded_amount + coalesce(loaded.refunded_amount, 0) as refunded_amount,
            greatest(added.last_transaction_at, loaded.last_transaction_at)
                as last_transaction_at,
            {% if loaded_has_accepted_rows -%}
                added.accepted_rows + coalesce(loaded.accepted_rows, 0)
            {%- else -%}
                cast(null as {{ dbt.type_bigint() }})
            {%- endif %} as accepted_rows
        from added
        left join {{ this }} as loaded
            on added.customer_id = loaded.customer_id
    {%- else -%}
        select * from added
    {%- endif %}

)

select * from final
