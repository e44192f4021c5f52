-- One row per as-of date and customer with at least one paid transaction strictly before
-- that date. With as-of dates given (the as_of_date or as_of_dates var), each transaction
-- counts for every given date after it. Without, every accepted transaction counts and
-- the as-of date is the day after the latest one, found here over all customers (any
-- status), so the transactions are read once for the date and the figures together.
{%- set literals = segments.as_of_date_literals() %}

with

transactions as (

    select * from {{ ref('stg_input__transactions') }}

),

classified as (

    select
        customer_id,
        transaction_at,
        amount,
        {{ segments.transaction_kind('status', 'amount') }} as transaction_kind
    from transactions

),

dated as (

    {% if literals -%}
        select
            classified.*,
            as_of_dates.as_of_date
        from classified
        inner join (
            {%- for literal in literals %}
            select {{ literal }} as as_of_date
            {%- if not loop.last %} union all{% endif %}
            {%- endfor %}
        ) as as_of_dates
            on
                classified.transaction_at
                < cast(as_of_dates.as_of_date as {{ dbt.type_timestamp() }})
    {%- else -%}
        -- The as-of date is set below, once every customer's latest transaction is known.
        select
            classified.*,
            cast(null as date) as as_of_date
        from classified
    {%- endif %}

),

aggregated as (

    select
        as_of_date,
        customer_id,
        min(case when transaction_kind = 'paid' then transaction_at end) as first_purchase_at,
        max(case when transaction_kind = 'paid' then transaction_at end) as last_purchase_at,
        sum(case when transaction_kind = 'paid' then 1 else 0 end) as frequency,
        sum(case when transaction_kind = 'paid' then amount else 0 end) as paid_amount,
        sum(case when transaction_kind = 'refund' then abs(amount) else 0 end)
            as refunded_amount,
        max(transaction_at) as last_transaction_at
    from dated
    group by as_of_date, customer_id

),

resolved as (

    select
        customer_id,
        first_purchase_at,
        last_purchase_at,
        frequency,
        paid_amount,
        refunded_amount,
        {% if literals -%}
            as_of_date
        {%- else -%}
            cast(
                {{ dbt.dateadd('day', 1, 'cast(max(last_transaction_at) over () as date)') }}
                as date
            ) as as_of_date
        {%- endif %}
    from aggregated

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
    from resolved
    where frequency > 0

)

select * from final
