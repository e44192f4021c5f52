-- One row per dynamic segment defined for this build (the `dynamic_segments` var, CLI
-- --segments-file): its description, the SQL condition it compiles to, and its number of
-- members at the current as-of date. No rows when none is defined.
{%- set definitions = segments.dynamic_segment_definitions() %}

with

members as (

    select * from {{ ref('dynamic_segment_members') }}

),

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

definitions as (

    {% for definition in definitions -%}
        select
            {{ loop.index }} as definition_order,
            {{ segments.sql_string_literal(definition['name']) }} as dynamic_segment,
            {% if definition['description'] is none -%}
                cast(null as {{ dbt.type_string() }})
            {%- else -%}
                '{{ dbt.escape_single_quotes(definition['description']) }}'
            {%- endif %} as description,
            '{{ dbt.escape_single_quotes(definition['condition']) }}' as condition_sql
        {% if not loop.last %}union all{% endif %}
    {% else -%}
        select
            cast(null as {{ dbt.type_int() }}) as definition_order,
            cast(null as {{ dbt.type_string() }}) as dynamic_segment,
            cast(null as {{ dbt.type_string() }}) as description,
            cast(null as {{ dbt.type_string() }}) as condition_sql
        where false
    {%- endfor %}

),

member_counts as (

    select
        dynamic_segment,
        count(*) as customers
    from members
    group by dynamic_segment

),

counted as (

    select
        definitions.*,
        coalesce(member_counts.customers, 0) as customers
    from definitions
    left join member_counts
        on definitions.dynamic_segment = member_counts.dynamic_segment

),

final as (

    select
        counted.dynamic_segment,
        counted.definition_order,
        counted.description,
        counted.condition_sql,
        counted.customers,
        as_of_dates.as_of_date
    from counted
    cross join as_of_dates

)

select * from final
