-- One row per customer scored at the current (latest) as-of date of the build: RFM
-- figures, scores, the named segment, and where the customer was before: the current
-- date's rows of segment_history, which this build has just written, with the segment's
-- texts.
with

history as (

    select * from {{ ref('segment_history') }}

),

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

definitions as (

    select * from {{ ref('stg_seeds__segment_definitions') }}

),

current_customers as (

    select history.*
    from history
    inner join as_of_dates
        on history.as_of_date = as_of_dates.as_of_date

),

final as (

    select
        current_customers.customer_id,
        current_customers.first_purchase_at,
        current_customers.last_purchase_at,
        current_customers.recency_days,
        current_customers.frequency,
        current_customers.monetary,
        current_customers.avg_order_value,
        current_customers.r_score,
        current_customers.f_score,
        current_customers.m_score,
        current_customers.fm_score,
        current_customers.rfm_cell,
        current_customers.segment,
        definitions.segment_description,
        definitions.recommended_action,
        current_customers.previous_segment,
        current_customers.previous_as_of_date,
        current_customers.segment_since,
        current_customers.as_of_date
    from current_customers
    left join definitions
        on current_customers.segment = definitions.segment

)

select * from final
