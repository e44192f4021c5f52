-- One row per customer with at least one paid transaction before the as-of date.
with

transactions as (

    select * from {{ ref('int_transactions_classified') }}

),

aggregated as (

    select
        customer_id,
        min(case when transaction_kind = 'paid' then transaction_at end) as first_purchase_at,
        max(case when transaction_kind = 'paid' then transaction_at end) as last_purchase_at,
        sum(case when transaction_kind = 'paid' then 1 else 0 end) as frequency,
        sum(case when transaction_kind = 'paid' then amount else 0 end) as paid_amount,
        sum(case when transaction_kind = 'refund' then abs(amount) else 0 end) as refunded_amount,
        max(as_of_date) as as_of_date
    from transactions
    group by customer_id

),

final as (

    select
        customer_id,
        first_purchase_at,
        last_purchase_at,
        {{ dbt.datediff('cast(last_purchase_at as date)', 'as_of_date', 'day') }}
            as recency_days,
        frequency,
        paid_amount - refunded_amount as monetary,
        paid_amount,
        refunded_amount,
        cast((paid_amount - refunded_amount) / frequency as {{ dbt.type_numeric() }})
            as avg_order_value,
        as_of_date
    from aggregated
    where frequency > 0

)

select * from final
