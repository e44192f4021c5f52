-- Exactly the customers with a paid transaction before the as-of date are scored. A build
-- that appended new files read only them: the customers of the files loaded before are
-- then known from int_customer_totals. A build of a single file, which reads it whole,
-- keeps no totals after its run (segments.customer_totals_database).
{%- set totals_kept = segments.customer_totals_database() is none %}
with

classified as (

    select * from {{ ref('int_transactions_classified') }}

),

{%- if totals_kept %}

    read_files as (

        select distinct source_file from {{ ref('stg_input__raw_transactions') }}

    ),

    appended as (

        select count(*) > 0 as is_appended
        from {{ ref('int_transaction_files_counted') }}
        where source_file not in (select read_files.source_file from read_files)

    ),
{%- endif %}

expected as (

    select customer_id
    from classified
    where transaction_kind = 'paid'
    {%- if totals_kept %}

        union

        select customer_id
        from {{ ref('int_customer_totals') }}
        where frequency > 0 and (select appended.is_appended from appended)
    {%- endif %}

),

scored as (

    select customer_id from {{ ref('customer_segments') }}

),

missing as (

    select
        expected.customer_id,
        'paid before as-of but not scored' as problem
    from expected
    left join scored on expected.customer_id = scored.customer_id
    where scored.customer_id is null

),

extra as (

    select
        scored.customer_id,
        'scored without a paid transaction before as-of' as problem
    from scored
    left join expected on scored.customer_id = expected.customer_id
    where expected.customer_id is null

)

select * from missing
union all
select * from extra
