-- Each scored customer and as-of date with the named segment of its (R, FM) cell. A view:
-- segment_history is its only reader and stores every column of it, and customer_segments
-- reads the current date back from segment_history, so the ranking runs once per build.
{{ config(
    materialized='view',
    database=segments.customer_totals_database(),
    pre_hook="{{ segments.drop_target_database_namesake() }}",
) }}

with

customers as (

    select * from {{ ref('int_customers_scored') }}

),

grid as (

    select * from {{ ref('stg_seeds__segment_grid') }}

),

final as (

    -- A left join: a customer whose cell is missing from a user's grid keeps its row
    -- (segment null), and the not_null test on segment fails the build.
    select
        customers.*,
        grid.segment
    from customers
    left join grid
        on
            customers.r_score = grid.r_score
            and customers.fm_score = grid.fm_score

)

select * from final
