-- Every raw row whose transaction_id is shared with another row, numbered in file order
-- per transaction_id: the first occurrence is kept, the others are rejected as
-- duplicates. Usually empty. A table, so the work runs once and
-- stg_input__checked_transactions only looks rows up in it. Exports usually list their
-- rows in id order: when every id is greater than the one read before it, no id can be
-- repeated, and the grouping of every id is skipped (one streaming pass instead). When
-- a build appends new files, an id already in a loaded file also counts: that file
-- sorts first, so every occurrence in the new files is a duplicate. Only the loaded
-- files' id column is read.
{{ config(materialized='table') }}
{#- A Parquet file is read again for each reference to raw_transactions (its id column
    and row numbers are cheap to read); a CSV scan, numbered on one thread, is kept. -#}
{%- set read_again = segments.transactions_file_format() == 'parquet' %}
{#- On DuckDB a CSV file's ids are read into memory on every core and numbered there, in
    the order read (segments.read_order_numbered_in_memory); the comparison and the
    grouping read them unnumbered. -#}
{%- set in_memory = segments.read_order_numbered_in_memory() %}
{%- set ids = 'ids_in_memory' if in_memory else 'raw_transactions' %}
{#- On DuckDB the ids of one Parquet file are compared in parts read at once, one per
    thread, each sharing its first and last rows with its neighbours
    (segments.read_order_split_rows); none: one pass. -#}
{%- set split_rows = segments.read_order_split_rows() %}

with

{% if in_memory -%}
    ids_in_memory as materialized (

        -- Without their row numbers, so the file is parsed on every core.
        select
            source_file,
            {{ segments.blank_to_null('cast(transaction_id as ' ~ dbt.type_string() ~ ')') }}
                as transaction_id
        from {{ ref('stg_input__raw_transactions') }}

    ),

    raw_transactions as not materialized (

        -- Numbered in the order read, each file from 1 (only repeated ids need it).
        select
            source_file,
            source_row_number,
            transaction_id
        from {{ segments.duckdb_numbered_in_read_order(
            'ids_in_memory', segments.transactions_files_read(), 'source_row_number'
        ) }} as ids_read_in_order

    ),
{%- else -%}
    raw_transactions as {{ segments.not_materialized() if read_again }} (

        select
            source_file,
            source_row_number,
            {{ segments.blank_to_null('cast(transaction_id as ' ~ dbt.type_string() ~ ')') }}
                as transaction_id
        from {{ ref('stg_input__raw_transactions') }}

    ),
{%- endif %}

loaded_ids as (

    {% if segments.appending() -%}
        select distinct loaded.transaction_id
        from (
            select
                {{ segments.blank_to_null(
                    'cast(transaction_id as ' ~ dbt.type_string() ~ ')'
                ) }} as transaction_id
            from ({{ segments.read_loaded_transaction_ids() }}) as loaded_file
        ) as loaded
        inner join {{ ids }} as new_ids
            on loaded.transaction_id = new_ids.transaction_id
    {%- else -%}
        select cast(null as {{ dbt.type_string() }}) as transaction_id
        where false
    {%- endif %}

),

ids_read as (

    -- Each id beside the id read before it (segments.read_order_window: the order the
    -- rows are read on DuckDB, file and row order elsewhere). In parts, each also beside
    -- the row number read before it.
    {% if not split_rows -%}
        select
            transaction_id,
            lag(transaction_id) {{ segments.read_order_window() }} as previous_transaction_id
        from {{ ids }}
        where transaction_id is not null
    {%- else -%}
        {%- for part in range(split_rows | length + 1) %}
            {%- if not loop.first %}

        union all
            {%- endif %}

        select
            source_row_number,
            transaction_id,
            lag(source_row_number) over () as previous_row_number,
            lag(transaction_id) over () as previous_transaction_id
        from raw_transactions
        where
            transaction_id is not null
            {%- if not loop.first %}
            and source_row_number >= {{ split_rows[part - 1] }}
            {%- endif %}
            {%- if not loop.last %}
            and source_row_number <= {{ split_rows[part] }}
            {%- endif %}
        {%- endfor %}
    {%- endif %}

),

id_order as (

    -- One row: the ids not greater than the one before them. None means the ids, read in
    -- that order, strictly increase, so none is repeated: a sufficient condition, exact
    -- in any order of reading. In parts, each part must also be read in row order and
    -- hold the rows it shares (their ids not blank): then every id of a part is below
    -- the row it shares with the next, and every id of the next above it.
    select
        count(case when transaction_id <= previous_transaction_id then 1 end)
        {%- if split_rows %}
        + count(case when source_row_number <= previous_row_number then 1 end)
        + case
            when
                count(
                    case when source_row_number in ({{ split_rows | join(', ') }}) then 1 end
                ) = {{ 2 * split_rows | length }}
                then 0
            else 1
        end
        {%- endif %} as ids_out_of_order
    from ids_read

),

repeated_ids as (

    select
        transaction_id,
        0 as earlier_occurrences
    from {{ ids }}
    where
        transaction_id is not null
        and (select id_order.ids_out_of_order from id_order) > 0
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
