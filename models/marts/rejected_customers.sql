-- Every customers-file row that breaks the input contract, with its raw values and the
-- reason. Empty when no customers file is given.
with

checked as (

    select * from {{ ref('stg_input__checked_customers') }}

),

final as (

    select
        source_file,
        source_row_number,
        rejection_reason,
        raw_customer_id as customer_id,
        raw_email as email,
        raw_birth_date as birth_date,
        raw_gender as gender,
        raw_education as education,
        raw_city as city,
        raw_region as region,
        raw_country as country,
        raw_acquisition_source as acquisition_source,
        raw_signed_up_at as signed_up_at,
        raw_preferred_channel as preferred_channel
    from checked
    where rejection_reason is not null

)

select * from final
