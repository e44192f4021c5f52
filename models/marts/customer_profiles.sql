-- One row per customer known at the current as-of date (from the customers file, the
-- transactions or the events; prospects included): lifecycle stage, RFM segment,
-- transactional tiers and preferences, who and where they are, and how they engage.
-- Columns fed by an optional input that was not given are null.
{%- set events_path = segments.build_var('events_path', none) %}
{%- set has_events_file = events_path is not none and events_path != '' %}
{%- set engagement_counts = [
    'email_opens_30d', 'email_opens_90d', 'email_clicks_30d', 'email_clicks_90d',
    'site_visits_30d', 'site_visits_90d', 'cart_adds_30d', 'cart_adds_90d',
] %}
{%- if has_events_file %}
    {%- set engagement_level = "coalesce(engagement.engagement_level, 'dormant')" %}
{%- else %}
    {%- set engagement_level = 'cast(null as ' ~ dbt.type_string() ~ ')' %}
{%- endif %}

with

known as (

    select * from {{ ref('int_customers_identified') }}

),

lifecycle as (

    select * from {{ ref('int_lifecycle_stages_assigned') }}

),

rfm as (

    select * from {{ ref('customer_segments') }}

),

tiers as (

    select * from {{ ref('int_customers_tiered') }}

),

favourite_categories as (

    select * from {{ ref('int_customer_categories_ranked') }}
    where category_rank = 1

),

preferred_channels as (

    select * from {{ ref('int_customer_channels_ranked') }}
    where channel_rank = 1

),

attributes as (

    select * from {{ ref('int_customer_attributes_derived') }}

),

engagement as (

    select * from {{ ref('int_customers_engagement_measured') }}

),

final as (

    select
        known.customer_id,
        lifecycle.lifecycle_stage,
        rfm.segment,
        rfm.rfm_cell,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
        rfm.recency_days,
        rfm.frequency,
        rfm.monetary,
        rfm.avg_order_value,
        rfm.first_purchase_at,
        rfm.last_purchase_at,
        tiers.aov_tier,
        tiers.frequency_tier,
        tiers.tenure_days,
        tiers.tenure_band,
        favourite_categories.category as favourite_category,
        preferred_channels.channel as preferred_channel,
        attributes.email,
        attributes.birth_date,
        attributes.age,
        attributes.age_band,
        attributes.gender,
        attributes.education,
        attributes.city,
        attributes.region,
        attributes.country,
        attributes.acquisition_source,
        attributes.signed_up_at,
        attributes.declared_preferred_channel,
        {%- for column in engagement_counts %}
            {%- if has_events_file %}
                coalesce(engagement.{{ column }}, 0) as {{ column }},
            {%- else %}
                cast(null as {{ dbt.type_int() }}) as {{ column }},
            {%- endif %}
        {%- endfor %}
        engagement.last_activity_at,
        engagement.days_since_last_activity,
        {{ engagement_level }} as engagement_level,
        known.has_customer_record,
        known.has_transactions,
        known.has_events,
        known.as_of_date
    from known
    left join lifecycle
        on known.customer_id = lifecycle.customer_id
    left join rfm
        on known.customer_id = rfm.customer_id
    left join tiers
        on known.customer_id = tiers.customer_id
    left join favourite_categories
        on known.customer_id = favourite_categories.customer_id
    left join preferred_channels
        on known.customer_id = preferred_channels.customer_id
    left join attributes
        on known.customer_id = attributes.customer_id
    left join engagement
        on known.customer_id = engagement.customer_id

)

select * from final
