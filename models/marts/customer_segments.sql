-- One row per scored customer: RFM figures, scores and the named segment.
with

customers as (

    select * from {{ ref('int_customers_scored') }}

),

grid as (

    select * from {{ ref('stg_seeds__segment_grid') }}

),

definitions as (

    select * from {{ ref('stg_seeds__segment_definitions') }}

),

segmented as (

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

),

final as (

    select
        segmented.customer_id,
        segmented.first_purchase_at,
        segmented.last_purchase_at,
        segmented.recency_days,
        segmented.frequency,
        segmented.monetary,
        segmented.avg_order_value,
        segmented.r_score,
        segmented.f_score,
        segmented.m_score,
        segmented.fm_score,
        segmented.rfm_cell,
        segmented.segment,
        definitions.segment_description,
        definitions.recommended_action,
        segmented.as_of_date
    from segmented
    left join definitions
        on segmented.segment = definitions.segment

)

select * from final
