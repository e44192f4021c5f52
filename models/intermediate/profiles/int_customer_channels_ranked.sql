-- Each customer's sales channels among their paid transactions before the current
-- as-of date, ranked: most paid transactions first, then the highest paid amount, then
-- the channel name (so ties are broken the same way in every run).
with

transactions as (

    -- Already limited to transactions before the latest (current) as-of date.
    select * from {{ ref('int_transactions_classified') }}

),

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

counted as (

    select
        customer_id,
        channel,
        count(*) as paid_transactions,
        sum(amount) as paid_amount
    from transactions
    where transaction_kind = 'paid' and channel is not null
    group by customer_id, channel

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by paid_transactions desc, paid_amount desc, channel asc
        ) as channel_rank
    from counted

),

final as (

    select
        ranked.customer_id,
        ranked.channel,
        ranked.paid_transactions,
        ranked.paid_amount,
        ranked.channel_rank,
        as_of_dates.as_of_date
    from ranked
    cross join as_of_dates

)

select * from final
