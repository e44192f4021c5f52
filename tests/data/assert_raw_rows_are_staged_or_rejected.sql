-- Nothing is silently lost: every row read is either accepted or rejected, exactly once.
with

counts as (

    select
        (select count(*) from {{ ref('stg_input__raw_transactions') }}) as raw_rows,
        (select count(*) from {{ ref('stg_input__transactions') }}) as staged_rows,
        (select count(*) from {{ ref('rejected_transactions') }}) as rejected_rows

)

select *
from counts
where raw_rows != staged_rows + rejected_rows
