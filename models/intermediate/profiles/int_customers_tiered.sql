-- Transactional tiers of every customer scored at the current as-of date: average order
-- value tier, purchase-frequency tier (low, medium, high) and tenure band (days since the
-- first paid purchase). Cut-offs are vars (see dbt_project.yml).
{%- set aov_cutoffs = segments.ascending_cutoffs_var('aov_tier_cutoffs', count=2) %}
{%- set frequency_cutoffs = segments.ascending_cutoffs_var('frequency_tier_cutoffs', count=2) %}
{%- set tenure_cutoffs = segments.ascending_cutoffs_var('tenure_band_days', whole=true) %}
{%- set tiers = ['low', 'medium', 'high'] %}

with

purchases as (

    -- The current as-of date's scored customers (a table: RFM is not computed again).
    select * from {{ ref('customer_segments') }}

),

current_purchases as (

    select
        customer_id,
        frequency,
        avg_order_value,
        {{ dbt.datediff('cast(first_purchase_at as date)', 'as_of_date', 'day') }}
            as tenure_days,
        as_of_date
    from purchases

),

final as (

    select
        customer_id,
        {{ segments.band_case('avg_order_value', aov_cutoffs, tiers) }} as aov_tier,
        {{ segments.band_case('frequency', frequency_cutoffs, tiers) }} as frequency_tier,
        tenure_days,
        {{ segments.band_case(
            'tenure_days', tenure_cutoffs, segments.range_labels(tenure_cutoffs, ' days')
        ) }} as tenure_band,
        as_of_date
    from current_purchases

)

select * from final
