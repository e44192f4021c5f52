-- The as-of dates of this build, one row each: the `as_of_dates` var (a backfill), the
-- `as_of_date` var, or by default the day after the latest accepted transaction (never
-- current_date, so any build can be reproduced). Only transactions strictly before an
-- as-of date count for it. The latest date of the build is its current date.
{%- set literals = segments.as_of_date_literals() %}

with

transactions as (

    select * from {{ ref('stg_input__transactions') }}

),

latest as (

    select max(cast(transaction_at as date)) as latest_transaction_date
    from transactions

),

requested as (

    {% if literals -%}
        select as_of_date
        from (
            {%- for literal in literals %}
            select {{ literal }} as as_of_date
            {%- if not loop.last %} union all{% endif %}
            {%- endfor %}
        ) as listed
    {%- else -%}
        select cast({{ dbt.dateadd('day', 1, 'latest_transaction_date') }} as date) as as_of_date
        from latest
    {%- endif %}

),

final as (

    select
        requested.as_of_date,
        latest.latest_transaction_date,
        requested.as_of_date = max(requested.as_of_date) over () as is_current
    from requested
    cross join latest

)

select * from final
