-- One row: the as-of date of this build. Only transactions strictly before it count.
-- Default: the day after the latest accepted transaction (never current_date, so any
-- build can be reproduced).
{%- set as_of_literal = segments.as_of_date_literal() %}

with

transactions as (

    select * from {{ ref('stg_input__transactions') }}

),

latest as (

    select max(cast(transaction_at as date)) as latest_transaction_date
    from transactions

),

final as (

    select
        {% if as_of_literal -%}
            {{ as_of_literal }}
        {%- else -%}
            cast({{ dbt.dateadd('day', 1, 'latest_transaction_date') }} as date)
        {%- endif %} as as_of_date,
        latest_transaction_date
    from latest

)

select * from final
