-- One row per transactions file read, with its number of rows (accepted or rejected).
-- Kept between builds on DuckDB like int_customer_totals: a build that appends new files
-- adds their rows; any other build counts every file again.
{{ config(
    materialized=segments.append_materialization(),
    incremental_strategy='append',
    full_refresh=(env_var('SEGMENTS_NEW_TRANSACTIONS_FILES', '') | trim == ''),
) }}

with

raw_transactions as (

    select * from {{ ref('stg_input__raw_transactions') }}

),

final as (

    select
        source_file,
        count(*) as input_rows
    from raw_transactions
    group by source_file

)

select * from final
