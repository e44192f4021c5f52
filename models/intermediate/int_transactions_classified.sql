-- Accepted transactions strictly before the latest as-of date of the build, each
-- classified as paid, refund or failed. A refund is status `refunded` or a negative
-- amount; a failed row never counts; every other row is paid.
with

transactions as (

    select * from {{ ref('stg_input__transactions') }}

),

as_of_dates as (

    select max(as_of_date) as latest_as_of_date
    from {{ ref('int_as_of_dates_resolved') }}

),

before_as_of as (

    select transactions.*
    from transactions
    cross join as_of_dates
    where
        transactions.transaction_at
        < cast(as_of_dates.latest_as_of_date as {{ dbt.type_timestamp() }})

),

final as (

    select
        *,
        {{ segments.transaction_kind('status', 'amount') }} as transaction_kind
    from before_as_of

)

select * from final
