-- Each scored customer and as-of date with the named segment of its (R, FM) cell. A table:
-- segment_history and customer_segments both read it, and as a view the aggregation over
-- every transaction and the ranking would run once for each.
{{ config(materialized='table') }}

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
