-- Cross-sell: for each customer scored at the current as-of date, the categories they
-- have not bought that customers of the same RFM segment buy together with a category
-- they did buy, ranked by lift (top `cross_sell_top_n`). A candidate category keeps its
-- best pair (highest lift, then support, then antecedent name); candidates are ranked by
-- lift, then support, then category name, so ties are broken the same way in every run.
-- Only positive associations count: lift > 1 and at least `cross_sell_min_pair_customers`
-- customers of the segment bought both categories.
{%- set top_n = segments.positive_integer_var('cross_sell_top_n') %}
{%- set min_pair_customers = segments.positive_integer_var('cross_sell_min_pair_customers') %}

with

affinities as (

    select * from {{ ref('int_category_affinities_measured') }}

),

categories as (

    select * from {{ ref('int_customer_categories_ranked') }}

),

segmented as (

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

pairs as (

    -- The pairs that count, ranked within their segment and consequent category: the
    -- customer's best pair for a category is the one with the lowest pair_rank among the
    -- categories they bought.
    select
        *,
        row_number() over (
            partition by segment, consequent_category
            order by lift desc, support desc, antecedent_category asc
        ) as pair_rank
    from affinities
    where lift > 1 and pair_customers >= {{ min_pair_customers }}

),

options as (

    -- Every category reachable from a category the customer bought, and (is_bought = 1)
    -- the categories they bought, so one aggregation drops the bought ones.
    select
        baskets.customer_id,
        pairs.consequent_category as category,
        pairs.pair_rank,
        0 as is_bought
    from baskets
    inner join pairs
        on
            baskets.segment = pairs.segment
            and baskets.category = pairs.antecedent_category

    union all

    select
        customer_id,
        category,
        null as pair_rank,
        1 as is_bought
    from baskets

),

best_options as (

    select
        customer_id,
        category,
        min(pair_rank) as pair_rank
    from options
    group by customer_id, category
    having max(is_bought) = 0

),

detailed as (

    select
        best_options.customer_id,
        best_options.category,
        pairs.lift,
        pairs.support,
        pairs.confidence,
        pairs.pair_customers,
        pairs.antecedent_category as because_of_category,
        segmented.segment,
        segmented.as_of_date
    from best_options
    inner join segmented
        on best_options.customer_id = segmented.customer_id
    inner join pairs
        on
            segmented.segment = pairs.segment
            and best_options.category = pairs.consequent_category
            and best_options.pair_rank = pairs.pair_rank

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by lift desc, support desc, category asc
        ) as recommendation_rank
    from detailed

),

final as (

    select
        customer_id,
        recommendation_rank as rank,
        category,
        lift,
        support,
        confidence,
        pair_customers,
        because_of_category,
        segment,
        as_of_date
    from ranked
    where recommendation_rank <= {{ top_n }}

)

select * from final
