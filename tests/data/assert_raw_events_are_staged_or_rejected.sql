{{ config(tags=['profiles']) }}
-- Nothing is silently lost: every events-file row read is accepted or rejected, exactly once.
with

counts as (

    select
        (select count(*) from {{ ref('stg_input__raw_events') }}) as raw_rows,
        (select count(*) from {{ ref('stg_input__events') }}) as staged_rows,
        (select count(*) from {{ ref('rejected_events') }}) as rejected_rows

)

select *
from counts
where raw_rows != staged_rows + rejected_rows
