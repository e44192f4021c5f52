-- R, F and M scores (1..5), fm_score and rfm_cell per as-of date and scored customer.
-- Customers are ranked among the customers scored at the same as-of date only.
-- quintile (default): rank-based and tie-consistent, see the quintile_score macro.
-- thresholds: fixed business cut-offs from the score_thresholds var.
{%- set method = segments.scoring_method() %}
{%- set thresholds = var('score_thresholds') %}

with

customers as (

    select * from {{ ref('int_customers_aggregated') }}

),

ranked as (

    select
        *,
        rank() over (partition by as_of_date order by recency_days desc) as recency_rank,
        rank() over (partition by as_of_date order by frequency asc) as frequency_rank,
        rank() over (partition by as_of_date order by monetary asc) as monetary_rank,
        count(*) over (partition by as_of_date) as scored_customers
    from customers

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
