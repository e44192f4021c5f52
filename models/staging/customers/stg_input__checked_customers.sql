-- Materialized as a table (an exception to the staging default): validation runs once,
-- and both stg_input__customers and rejected_customers read its result.
{{ config(materialized='table') }}

with

raw_customers as (

    select * from {{ ref('stg_input__raw_customers') }}

),

fields as (

    select
        source_file,
        source_row_number,
        cast(customer_id as {{ dbt.type_string() }}) as raw_customer_id,
        cast(email as {{ dbt.type_string() }}) as raw_email,
        cast(birth_date as {{ dbt.type_string() }}) as raw_birth_date,
        cast(gender as {{ dbt.type_string() }}) as raw_gender,
        cast(education as {{ dbt.type_string() }}) as raw_education,
        cast(city as {{ dbt.type_string() }}) as raw_city,
        cast(region as {{ dbt.type_string() }}) as raw_region,
        cast(country as {{ dbt.type_string() }}) as raw_country,
        cast(acquisition_source as {{ dbt.type_string() }}) as raw_acquisition_source,
        cast(signed_up_at as {{ dbt.type_string() }}) as raw_signed_up_at,
        cast(preferred_channel as {{ dbt.type_string() }}) as raw_preferred_channel
    from raw_customers

),

typed as (

    select
        *,
        nullif(trim(raw_customer_id), '') as customer_id,
        nullif(trim(raw_email), '') as email,
        {{ segments.try_cast('trim(raw_birth_date)', 'date') }} as birth_date,
        nullif(lower(trim(raw_gender)), '') as gender,
        nullif(lower(trim(raw_education)), '') as education,
        nullif(trim(raw_city), '') as city,
        nullif(trim(raw_region), '') as region,
        nullif(upper(trim(raw_country)), '') as country,
        nullif(lower(trim(raw_acquisition_source)), '') as acquisition_source,
        {{ segments.try_cast_timestamp_utc('trim(raw_signed_up_at)') }} as signed_up_at,
        nullif(lower(trim(raw_preferred_channel)), '') as preferred_channel
    from fields

),

repeated_ids as (

    select customer_id
    from typed
    where customer_id is not null
    group by customer_id
    having count(*) > 1

),

repeated_rows as (

    -- Only rows of repeated ids are ranked, as for transactions.
    select
        typed.source_file,
        typed.source_row_number,
        row_number() over (
            partition by typed.customer_id
            order by typed.source_file, typed.source_row_number
        ) as customer_id_occurrence
    from typed
    inner join repeated_ids
        on typed.customer_id = repeated_ids.customer_id

),

occurrences as (

    -- The first row of a repeated customer_id (in file order) is kept.
    select
        typed.*,
        coalesce(repeated_rows.customer_id_occurrence, 1) as customer_id_occurrence
    from typed
    left join repeated_rows
        on
            typed.source_file = repeated_rows.source_file
            and typed.source_row_number = repeated_rows.source_row_number

),

final as (

    select
        *,
        case
            when customer_id is null then 'missing customer_id'
            when customer_id_occurrence > 1 then 'duplicate customer_id'
            when
                not {{ segments.is_blank('raw_birth_date') }}
                and (birth_date is null or birth_date < cast('1900-01-01' as date))
                then 'invalid birth_date'
            when
                not {{ segments.is_blank('raw_signed_up_at') }} and signed_up_at is null
                then 'invalid signed_up_at'
        end as rejection_reason
    from occurrences

)

select * from final
