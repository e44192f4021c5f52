-- How strongly categories are bought together within each RFM segment at the current
-- as-of date. A basket is the set of categories a scored customer bought (paid, before
-- the as-of date); for each ordered pair (antecedent, consequent) of categories bought by
-- the same customer: support = pair customers / segment customers, confidence = pair
-- customers / antecedent customers, lift = confidence / (consequent customers / segment
-- customers). Segment customers are the segment's customers with a categorised purchase.
with

categories as (

    select * from {{ ref('int_customer_categories_ranked') }}

),

segmented as (

    -- The current as-of date's scored customers and their segments.
    select * from {{ ref('customer_segments') }}

),

baskets as (

    select
        categories.customer_id,
        categories.category,
        segmented.segment
    from categories
    inner join segmented
        on categories.customer_id = segmented.customer_id

),

segment_sizes as (

    select
        segment,
        count(distinct customer_id) as segment_customers
    from baskets
    group by segment

),

category_sizes as (

    select
        segment,
        category,
        count(*) as category_customers
    from baskets
    group by segment, category

),

pairs as (

    select
        antecedent.segment,
        antecedent.category as antecedent_category,
        consequent.category as consequent_category,
        count(*) as pair_customers
    from baskets as antecedent
    inner join baskets as consequent
        on
            antecedent.customer_id = consequent.customer_id
            and antecedent.category != consequent.category
    group by antecedent.segment, antecedent.category, consequent.category

),

final as (

    select
        pairs.segment,
        pairs.antecedent_category,
        pairs.consequent_category,
        pairs.pair_customers,
        antecedent_sizes.category_customers as antecedent_customers,
        consequent_sizes.category_customers as consequent_customers,
        segment_sizes.segment_customers,
        cast(pairs.pair_customers as {{ segments.type_double() }})
        / segment_sizes.segment_customers as support,  -- noqa: RF04
        cast(pairs.pair_customers as {{ segments.type_double() }})
        / antecedent_sizes.category_customers as confidence,
        cast(pairs.pair_customers as {{ segments.type_double() }})
        * segment_sizes.segment_customers
        / (antecedent_sizes.category_customers * consequent_sizes.category_customers) as lift
    from pairs
    inner join segment_sizes
        on pairs.segment = segment_sizes.segment
    inner join category_sizes as antecedent_sizes
        on
            pairs.segment = antecedent_sizes.segment
            and pairs.antecedent_category = antecedent_sizes.category
    inner join category_sizes as consequent_sizes
        on
            pairs.segment = consequent_sizes.segment
            and pairs.consequent_category = consequent_sizes.category

)

select * from final
