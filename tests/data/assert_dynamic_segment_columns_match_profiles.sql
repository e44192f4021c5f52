{{ config(tags=['profiles']) }}
-- The columns dynamic segments may use (the dynamic_segment_columns macro) are exactly the
-- columns of customer_profiles: returns each column found on one side only.
-- depends_on: {{ ref('customer_profiles') }}
{%- set actual = [] %}
{%- if execute %}
    {%- for column in adapter.get_columns_in_relation(ref('customer_profiles')) %}
        {%- do actual.append(column.name | lower) %}
    {%- endfor %}
{%- endif %}

with

allowed as (

    {%- for name in segments.dynamic_segment_columns() %}
        select '{{ name }}' as column_name
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}

),

actual as (

    {%- for name in actual %}
        select '{{ name }}' as column_name
        {%- if not loop.last %} union all{% endif %}
    {%- else %}
        select cast(null as {{ dbt.type_string() }}) as column_name
        where false
    {%- endfor %}

),

final as (

    select
        coalesce(allowed.column_name, actual.column_name) as column_name,
        case
            when actual.column_name is null
                then 'in dynamic_segment_columns, missing from customer_profiles'
            else 'in customer_profiles, missing from dynamic_segment_columns'
        end as problem
    from allowed
    full outer join actual
        on allowed.column_name = actual.column_name
    where allowed.column_name is null or actual.column_name is null

)

select * from final
