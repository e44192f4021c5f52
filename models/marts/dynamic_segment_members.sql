-- The members of each dynamic segment at the current as-of date: one row per segment and
-- customer of customer_profiles meeting all of the segment's conditions. Segments come
-- from the `dynamic_segments` var (CLI: --segments-file), compiled and validated by the
-- dynamic_segment_definitions macro; values are bound as literals. No rows without it.
{%- set definitions = segments.dynamic_segment_definitions() %}

with

profiles as (

    select * from {{ ref('customer_profiles') }}

),

members as (

    {% for definition in definitions -%}
        select
            {{ segments.sql_string_literal(definition['name']) }} as dynamic_segment,
            customer_id,
            as_of_date
        from profiles
        where {{ definition['condition'] }}
        {% if not loop.last %}union all{% endif %}
    {% else -%}
        select
            cast(null as {{ dbt.type_string() }}) as dynamic_segment,
            customer_id,
            as_of_date
        from profiles
        where false
    {%- endfor %}

),

final as (

    select
        dynamic_segment,
        customer_id,
        as_of_date
    from members

)

select * from final
