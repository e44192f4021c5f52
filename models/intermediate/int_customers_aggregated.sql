-- One row per as-of date and customer with at least one paid transaction strictly
-- before that date.
with

transactions as (

    select * from {{ ref('int_transactions_classified') }}

),

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

aggregated as (

    select
        as_of_dates.as_of_date,
        transactions.customer_id,
        min(
            case when transactions.transaction_kind = 'paid' then transactions.transaction_at end
        ) as first_purchase_at,
        max(
            case when transactions.transaction_kind = 'paid' then transactions.transaction_at end
        ) as last_purchase_at,
        sum(case when transactions.transaction_kind = 'paid' then 1 else 0 end) as frequency,
        sum(
            case when transactions.transaction_kind = 'paid' then transactions.amount else 0 end
        ) as paid_amount,
        sum(
            case
                when transactions.transaction_kind = 'refund' then abs(transactions.amount)
                else 0
            end
        ) as refunded_amount
    from transactions
    inner join as_of_dates
        on transactions.transaction_at < cast(as_of_dates.as_of_date as {{ dbt.type_timestamp() }})
    group by as_of_dates.as_of_date, transactions.customer_id

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
