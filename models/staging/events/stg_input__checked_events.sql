-- Materialized as a table (an exception to the staging default): validation runs once,
-- and both stg_input__events and rejected_events read its result.
{{ config(materialized='table') }}

{%- set event_types = ['page_view', 'email_open', 'email_click', 'cart_add'] %}
{%- set event_type_list = "'" ~ event_types | join("', '") ~ "'" %}

with

raw_events as (

    select * from {{ ref('stg_input__raw_events') }}

),

fields as (

    select
        source_file,
        source_row_number,
        cast(customer_id as {{ dbt.type_string() }}) as raw_customer_id,
        cast(event_at as {{ dbt.type_string() }}) as raw_event_at,
        cast(event_type as {{ dbt.type_string() }}) as raw_event_type
    from raw_events

),

typed as (

    select
        *,
        nullif(trim(raw_customer_id), '') as customer_id,
        {{ segments.try_cast_timestamp_utc('trim(raw_event_at)') }} as event_at,
        -- `Email Open`, `email-open` and `email_open` are the same type.
        nullif(
            replace(replace(lower(trim(raw_event_type)), ' ', '_'), '-', '_'), ''
        ) as event_type
    from fields

),

final as (

    select
        *,
        case
            when customer_id is null then 'missing customer_id'
            when {{ segments.is_blank('raw_event_at') }} then 'missing event_at'
            when event_at is null then 'invalid event_at'
            when event_type is null then 'missing event_type'
            when event_type not in ({{ event_type_list }}) then 'unknown event_type'
        end as rejection_reason
    from typed

)

select * from final
