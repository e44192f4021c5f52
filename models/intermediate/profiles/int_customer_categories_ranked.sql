-- Each customer's product categories among their paid transactions before the current
-- as-of date, ranked: most paid transactions first, then the highest paid amount, then
-- the category name (so ties are broken the same way in every run). A table (an
-- exception to the intermediate default): customer_profiles, the category affinities and
-- customer_recommendations all read it.
{{ config(materialized='table') }}

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
        category,
        count(*) as paid_transactions,
        sum(amount) as paid_amount
    from transactions
    where transaction_kind = 'paid' and category is not null
    group by customer_id, category

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by paid_transactions desc, paid_amount desc, category asc
        ) as category_rank
    from counted

),

final as (

    select
        ranked.customer_id,
        ranked.category,
        ranked.paid_transactions,
        ranked.paid_amount,
        ranked.category_rank,
        as_of_dates.as_of_date
    from ranked
    cross join as_of_dates

)

select * from final
