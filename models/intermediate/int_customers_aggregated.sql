-- One row per as-of date and customer with at least one paid transaction strictly before
-- that date. Without as-of dates given, every accepted transaction counts: the figures
-- come from int_customer_totals (kept between builds that append files), and the as-of
-- date is the day after the latest transaction of any status and any customer. With
-- as-of dates given (the as_of_date or as_of_dates var), the transactions are read here
-- and each one counts for every given date after it.
-- depends_on: {{ ref('stg_input__transactions') }}
-- depends_on: {{ ref('int_customer_totals') }}
{{ config(
    database=segments.customer_totals_database(),
    pre_hook="{{ segments.drop_target_database_namesake() }}",
) }}
{%- set literals = segments.as_of_date_literals() %}

with
{%- if not literals %}

    latest as (

        -- The latest transaction, joined to every customer below: a window over all of
        -- them would hold every customer in one partition.
        select
            cast(
                {{ dbt.dateadd('day', 1, 'cast(max(last_transaction_at) as date)') }} as date
            ) as as_of_date
        from {{ ref('int_customer_totals') }}

    ),
{%- endif %}

totals as (

    {% if literals -%}
        select
            as_of_dates.as_of_date,
            classified.customer_id,
            {{ segments.transaction_totals() }}
        from (
            select
                customer_id,
                transaction_at,
                amount,
                {{ segments.transaction_kind('status', 'amount') }} as transaction_kind
            from {{ ref('stg_input__transactions') }}
        ) as classified
        inner join (
            {%- for literal in literals %}
            select {{ literal }} as as_of_date
            {%- if not loop.last %} union all{% endif %}
            {%- endfor %}
        ) as as_of_dates
            on
                classified.transaction_at
                < cast(as_of_dates.as_of_date as {{ dbt.type_timestamp() }})
        group by as_of_dates.as_of_date, classified.customer_id
    {%- else -%}
        select
            customer_totals.*,
            latest.as_of_date
        from {{ ref('int_customer_totals') }} as customer_totals
        cross join latest
    {%- endif %}

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
    from totals
    where frequency > 0

)

select * from final
