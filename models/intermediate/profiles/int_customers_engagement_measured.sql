-- Behavioural engagement of every customer with an accepted event before the current
-- as-of date: email opens and clicks, site visits (distinct days with a page view) and
-- cart additions in the 30 and 90 days before it, the last event, and an engagement
-- level from its age (thresholds are vars, see dbt_project.yml).
{%- set engaged_days = segments.positive_integer_var('engagement_engaged_days') %}
{%- set cooling_days = segments.positive_integer_var('engagement_cooling_days') %}
{%- if engaged_days >= cooling_days %}
    {{ exceptions.raise_compiler_error(
        "segments: var engagement_engaged_days (" ~ engaged_days
        ~ ") must be less than engagement_cooling_days (" ~ cooling_days ~ ")"
    ) }}
{%- endif %}

with

events as (

    select * from {{ ref('stg_input__events') }}

),

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

dated as (

    select
        events.customer_id,
        events.event_type,
        events.event_at,
        cast(events.event_at as date) as event_date,
        {{ dbt.datediff('cast(events.event_at as date)', 'as_of_dates.as_of_date', 'day') }}
            as days_ago,
        as_of_dates.as_of_date
    from events
    cross join as_of_dates
    where events.event_at < cast(as_of_dates.as_of_date as {{ dbt.type_timestamp() }})

),

aggregated as (

    -- days_ago is 1 for the day before the as-of date: "the last 30 days" is 1..30.
    select
        customer_id,
        as_of_date,
        {{ segments.count_where("event_type = 'email_open' and days_ago <= 30") }}
            as email_opens_30d,
        {{ segments.count_where("event_type = 'email_open' and days_ago <= 90") }}
            as email_opens_90d,
        {{ segments.count_where("event_type = 'email_click' and days_ago <= 30") }}
            as email_clicks_30d,
        {{ segments.count_where("event_type = 'email_click' and days_ago <= 90") }}
            as email_clicks_90d,
        cast(count(
            distinct case when event_type = 'page_view' and days_ago <= 30 then event_date end
        ) as {{ dbt.type_int() }}) as site_visits_30d,
        cast(count(
            distinct case when event_type = 'page_view' and days_ago <= 90 then event_date end
        ) as {{ dbt.type_int() }}) as site_visits_90d,
        {{ segments.count_where("event_type = 'cart_add' and days_ago <= 30") }}
            as cart_adds_30d,
        {{ segments.count_where("event_type = 'cart_add' and days_ago <= 90") }}
            as cart_adds_90d,
        max(event_at) as last_activity_at
    from dated
    group by customer_id, as_of_date

),

final as (

    select
        customer_id,
        email_opens_30d,
        email_opens_90d,
        email_clicks_30d,
        email_clicks_90d,
        site_visits_30d,
        site_visits_90d,
        cart_adds_30d,
        cart_adds_90d,
        last_activity_at,
        {{ dbt.datediff('cast(last_activity_at as date)', 'as_of_date', 'day') }}
            as days_since_last_activity,
        case
            when
                {{ dbt.datediff('cast(last_activity_at as date)', 'as_of_date', 'day') }}
                <= {{ engaged_days }}
                then 'engaged'
            when
                {{ dbt.datediff('cast(last_activity_at as date)', 'as_of_date', 'day') }}
                <= {{ cooling_days }}
                then 'cooling'
            else 'dormant'
        end as engagement_level,
        as_of_date
    from aggregated

)

select * from final
