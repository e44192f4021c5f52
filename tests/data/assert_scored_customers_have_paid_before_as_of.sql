-- Exactly the customers with a paid transaction before the as-of date are scored.
with

classified as (

    select * from {{ ref('int_transactions_classified') }}

),

expected as (

    select distinct customer_id
    from classified
    where transaction_kind = 'paid'

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
