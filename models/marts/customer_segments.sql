-- One row per customer scored at the current (latest) as-of date of the build: RFM
-- figures, scores, the named segment, and where the customer was before: the current
-- date's rows of segment_history, which this build has just written, with the segment's
-- texts. A view on DuckDB and PostgreSQL (segments.current_segments_materialization), so
-- the scored customers are written once; the view then reads nothing but segment_history
-- (the current date and the segment texts are written into it while it is made), so the
-- serving copy, which keeps the marts alone, can hold it. A table on Spark.
{{ config(materialized=segments.current_segments_materialization()) }}
{%- set as_of_dates = ref('int_as_of_dates_resolved') %}
{%- set segment_definitions = ref('stg_seeds__segment_definitions') %}
{%- set self_contained = config.get('materialized') == 'view' %}
{%- set current_date = (
    segments.current_as_of_date_literal(as_of_dates) if self_contained else none
) %}
{%- set definitions_literal = (
    segments.segment_definitions_literal(segment_definitions) if self_contained else none
) %}

with

history as (

    select * from {{ ref('segment_history') }}

),

definitions as (

    {% if definitions_literal -%}
        {{ definitions_literal }}
    {%- else -%}
        select
            segment,
            segment_description,
            recommended_action
        from {{ segment_definitions }}
    {%- endif %}

),

current_customers as (

    select history.*
    from history
    where
        {% if current_date -%}
            history.as_of_date = {{ current_date }}
        {%- else -%}
            history.as_of_date = (
                select resolved.as_of_date
                from {{ as_of_dates }} as resolved
                where resolved.is_current
            )
        {%- endif %}

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
