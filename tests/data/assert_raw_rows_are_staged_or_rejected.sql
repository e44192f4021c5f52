-- Nothing is silently lost: every row read is either accepted or rejected, exactly once.
-- rejected_transactions also keeps the rows of files an earlier build loaded (a build
-- that appends reads only the new files): only the files read here are compared.
with

raw_transactions as (

    select * from {{ ref('stg_input__raw_transactions') }}

),

read_files as (

    select distinct source_file from raw_transactions

),

counts as (

    select
        (select count(*) from raw_transactions) as raw_rows,
        (select count(*) from {{ ref('stg_input__transactions') }}) as staged_rows,
        (
            select count(*)
            from {{ ref('rejected_transactions') }}
            where source_file in (select read_files.source_file from read_files)
        ) as rejected_rows

)

select *
from counts
where raw_rows != staged_rows + rejected_rows
