-- Who and where each customer of the customers file is, at the current as-of date: the
-- file's attributes plus age (full years on the as-of date) and age band. A birthday on
-- 29 February falls on 28 February in other years.
{%- set age_cutoffs = segments.ascending_cutoffs_var('age_bands', whole=true) %}
{%- set years_apart = dbt.datediff('customers.birth_date', 'as_of_dates.as_of_date', 'year') %}

with

customers as (

    select * from {{ ref('stg_input__customers') }}

),

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

aged as (

    select
        customers.*,
        as_of_dates.as_of_date,
        case
            when customers.birth_date > as_of_dates.as_of_date then null
            -- Whole years: the years apart, less one if this year's birthday is still ahead.
            else {{ years_apart }} - case
                when
                    {{ dbt.dateadd('year', years_apart, 'customers.birth_date') }}
                    > as_of_dates.as_of_date
                    then 1
                else 0
            end
        end as age
    from customers
    cross join as_of_dates

),

final as (

    select
        customer_id,
        email,
        birth_date,
        age,
        {{ segments.band_case('age', age_cutoffs, segments.range_labels(age_cutoffs)) }}
            as age_band,
        gender,
        education,
        city,
        region,
        country,
        acquisition_source,
        signed_up_at,
        preferred_channel as declared_preferred_channel,
        as_of_date
    from aged

)

select * from final
