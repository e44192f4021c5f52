-- Every raw row whose transaction_id is shared with another row, numbered in file order
-- per transaction_id: the first occurrence is kept, the others are rejected as
-- duplicates. Usually empty. A table, so the grouping over every row runs once and
-- stg_input__checked_transactions only looks rows up in it.
{{ config(materialized='table') }}

with

raw_transactions as (

    select
        source_file,
        source_row_number,
        nullif(
            {{ segments.trim_text('cast(transaction_id as ' ~ dbt.type_string() ~ ')') }}, ''
        ) as transaction_id
    from {{ ref('stg_input__raw_transactions') }}

),

repeated_ids as (

    select transaction_id
    from raw_transactions
    where transaction_id is not null
    group by transaction_id
    having count(*) > 1

),

final as (

    select
        raw_transactions.source_file,
        raw_transactions.source_row_number,
        raw_transactions.transaction_id,
        row_number() over (
            partition by raw_transactions.transaction_id
            order by raw_transactions.source_file, raw_transactions.source_row_number
        ) as transaction_id_occurrence
    from raw_transactions
    inner join repeated_ids
        on raw_transactions.transaction_id = repeated_ids.transaction_id

)

select * from final
