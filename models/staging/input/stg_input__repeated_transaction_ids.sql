-- Every raw row whose transaction_id is shared with another row, numbered in file order
-- per transaction_id: the first occurrence is kept, the others are rejected as
-- duplicates. Usually empty. A table, so the grouping over every row runs once and
-- stg_input__checked_transactions only looks rows up in it. When a build appends new
-- files, an id already in a loaded file also counts: that file sorts first, so every
-- occurrence in the new files is a duplicate. Only the loaded files' id column is read.
{{ config(materialized='table') }}
{#- A Parquet file is read again for the second reference to raw_transactions (its id
    column and row numbers are cheap to read); a CSV scan, numbered on one thread, is
    kept. -#}
{%- set read_again = segments.transactions_file_format() == 'parquet' %}

with

raw_transactions as {{ segments.not_materialized() if read_again }} (

    select
        source_file,
        source_row_number,
        nullif(
            {{ segments.trim_text('cast(transaction_id as ' ~ dbt.type_string() ~ ')') }}, ''
        ) as transaction_id
    from {{ ref('stg_input__raw_transactions') }}

),

loaded_ids as (

    {% if segments.appending() -%}
        select distinct loaded.transaction_id
        from (
            select
                nullif(
                    {{ segments.trim_text(
                        'cast(transaction_id as ' ~ dbt.type_string() ~ ')'
                    ) }},
                    ''
                ) as transaction_id
            from ({{ segments.read_loaded_transaction_ids() }}) as loaded_file
        ) as loaded
        inner join raw_transactions
            on loaded.transaction_id = raw_transactions.transaction_id
    {%- else -%}
        select cast(null as {{ dbt.type_string() }}) as transaction_id
        where false
    {%- endif %}

),

repeated_ids as (

    select
        transaction_id,
        0 as earlier_occurrences
    from raw_transactions
    where
        transaction_id is not null
        and transaction_id not in (select loaded_ids.transaction_id from loaded_ids)
    group by transaction_id
    having count(*) > 1

    union all

    select
        transaction_id,
        1 as earlier_occurrences
    from loaded_ids

),

final as (

    select
        raw_transactions.source_file,
        raw_transactions.source_row_number,
        raw_transactions.transaction_id,
        repeated_ids.earlier_occurrences + row_number() over (
            partition by raw_transactions.transaction_id
            order by raw_transactions.source_file, raw_transactions.source_row_number
        ) as transaction_id_occurrence
    from raw_transactions
    inner join repeated_ids
        on raw_transactions.transaction_id = repeated_ids.transaction_id

)

select * from final
