-- The as-of dates of this build, one row each: the `as_of_dates` var (a backfill), the
-- `as_of_date` var, or by default the day after the latest accepted transaction (never
-- current_date, so any build can be reproduced), which int_customers_aggregated finds
-- while it reads the transactions. Only transactions strictly before an as-of date count
-- for it. The latest date of the build is its current date. Also carries the input's row
-- count (every file loaded, int_transaction_files_counted), so the build summary and
-- report never read the input file again.
-- depends_on: {{ ref('int_customers_aggregated') }}
{{ config(materialized='table') }}
{%- set literals = segments.as_of_date_literals() %}

with

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
        select distinct as_of_date
        from {{ ref('int_customers_aggregated') }}
    {%- endif %}

),

input_rows as (

    select coalesce(sum(input_rows), 0) as input_rows
    from {{ ref('int_transaction_files_counted') }}

),

final as (

    select
        requested.as_of_date,
        input_rows.input_rows,
        requested.as_of_date = max(requested.as_of_date) over () as is_current
    from requested
    cross join input_rows

)

select * from final
