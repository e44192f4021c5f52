-- R, F and M scores (1..5), fm_score and rfm_cell per as-of date and scored customer.
-- Customers are ranked among the customers scored at the same as-of date only.
-- quintile (default): rank-based and tie-consistent, see the quintile_score macro.
-- thresholds: fixed business cut-offs from the score_thresholds var.
{{ config(
    database=segments.customer_totals_database(),
    pre_hook="{{ segments.drop_target_database_namesake() }}",
) }}
{%- set method = segments.scoring_method() %}
{%- set thresholds = var('score_thresholds') %}
{#- Without as-of dates given, int_customers_aggregated is a cheap read of
    int_customer_totals: each reference below reads it again rather than DuckDB holding
    every customer. With dates given it aggregates the transactions, so it is kept. -#}
{%- set read_again = not segments.as_of_date_literals() %}

with

customers as {{ segments.not_materialized() if read_again }} (

    select * from {{ ref('int_customers_aggregated') }}

),

recency_ranks as (

    {{ segments.value_ranks('customers', 'recency_days', 'desc', 'recency_rank') }}

),

frequency_ranks as (

    {{ segments.value_ranks('customers', 'frequency', 'asc', 'frequency_rank') }}

),

monetary_ranks as (

    {{ segments.value_ranks('customers', 'monetary', 'asc', 'monetary_rank') }}

),

date_counts as (

    select
        as_of_date,
        count(*) as scored_customers
    from customers
    group by as_of_date

),

ranked as (

    -- rank() over each as-of date's customers, taken from value_ranks (see the macro).
    -- Every customer has a row in each: left joins, which also keep the optimizer from
    -- joining the rank relations to one another first on as_of_date alone.
    select
        customers.*,
        recency_ranks.recency_rank,
        frequency_ranks.frequency_rank,
        monetary_ranks.monetary_rank,
        date_counts.scored_customers
    from customers
    left join recency_ranks
        on
            customers.as_of_date = recency_ranks.as_of_date
            and customers.recency_days = recency_ranks.recency_days
    left join frequency_ranks
        on
            customers.as_of_date = frequency_ranks.as_of_date
            and customers.frequency = frequency_ranks.frequency
    left join monetary_ranks
        on
            customers.as_of_date = monetary_ranks.as_of_date
            and customers.monetary = monetary_ranks.monetary
    left join date_counts
        on customers.as_of_date = date_counts.as_of_date

),

scored as (

    select
        *,
        {% if method == 'quintile' -%}
            {{ segments.quintile_score('recency_rank', 'scored_customers') }} as r_score,
            {{ segments.quintile_score('frequency_rank', 'scored_customers') }} as f_score,
            {{ segments.quintile_score('monetary_rank', 'scored_customers') }} as m_score
        {%- else -%}
            {{ segments.threshold_score(
                'recency_days', thresholds['recency_days'], true, 'recency_days'
            ) }} as r_score,
            {{ segments.threshold_score(
                'frequency', thresholds['frequency'], false, 'frequency'
            ) }} as f_score,
            {{ segments.threshold_score(
                'monetary', thresholds['monetary'], false, 'monetary'
            ) }} as m_score
        {%- endif %}
    from ranked

),

final as (

    select
        customer_id,
        first_purchase_at,
        last_purchase_at,
        recency_days,
        frequency,
        monetary,
        avg_order_value,
        r_score,
        f_score,
        m_score,
        {{ segments.integer_divide('f_score + m_score + 1', 2) }} as fm_score,
        cast(100 * r_score + 10 * f_score + m_score as {{ dbt.type_string() }}) as rfm_cell,
        as_of_date
    from scored

)

select * from final
