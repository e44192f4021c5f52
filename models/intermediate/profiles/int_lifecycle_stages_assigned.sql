-- The lifecycle stage of every known customer at the current as-of date. The first rule
-- that applies wins: prospect (no paid purchase), churned, lapsing, new, returning,
-- one_time. Thresholds in days are vars (see dbt_project.yml).
{%- set new_days = segments.positive_integer_var('lifecycle_new_days') %}
{%- set lapsing_days = segments.positive_integer_var('lifecycle_lapsing_days') %}
{%- set churned_days = segments.positive_integer_var('lifecycle_churned_days') %}
{%- if lapsing_days >= churned_days %}
    {{ exceptions.raise_compiler_error(
        "segments: var lifecycle_lapsing_days (" ~ lapsing_days
        ~ ") must be less than lifecycle_churned_days (" ~ churned_days ~ ")"
    ) }}
{%- endif %}

with

known as (

    select * from {{ ref('int_customers_identified') }}

),

purchases as (

    -- The current as-of date's scored customers (a table: RFM is not computed again).
    select * from {{ ref('customer_segments') }}

),

final as (

    select
        known.customer_id,
        purchases.first_purchase_at,
        purchases.last_purchase_at,
        coalesce(purchases.frequency, 0) as frequency,
        purchases.recency_days,
        {{ dbt.datediff('cast(purchases.first_purchase_at as date)', 'known.as_of_date', 'day') }}
            as days_since_first_purchase,
        case
            when purchases.customer_id is null then 'prospect'
            when purchases.recency_days > {{ churned_days }} then 'churned'
            when purchases.recency_days > {{ lapsing_days }} then 'lapsing'
            when
                {{ dbt.datediff(
                    'cast(purchases.first_purchase_at as date)', 'known.as_of_date', 'day'
                ) }} <= {{ new_days }}
                then 'new'
            when purchases.frequency >= 2 then 'returning'
            else 'one_time'
        end as lifecycle_stage,
        known.as_of_date
    from known
    left join purchases
        on
            known.customer_id = purchases.customer_id
            and known.as_of_date = purchases.as_of_date

)

select * from final
