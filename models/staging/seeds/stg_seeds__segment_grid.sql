-- The segment grid in use: the bundled `segment_grid` seed, or the user's CSV named by
-- the `segment_grid_path` var (columns r_score, fm_score, segment).
{%- set grid_path = segments.build_var('segment_grid_path', none) %}
{%- set r_score_text = 'trim(cast(r_score as ' ~ dbt.type_string() ~ '))' %}
{%- set fm_score_text = 'trim(cast(fm_score as ' ~ dbt.type_string() ~ '))' %}

with

grid as (

    {% if grid_path -%}
        {{ segments.read_segment_grid(grid_path) }}
    {%- else -%}
        select * from {{ ref('segment_grid') }}
    {%- endif %}

),

final as (

    select
        {{ segments.try_cast(r_score_text, dbt.type_int()) }} as r_score,
        {{ segments.try_cast(fm_score_text, dbt.type_int()) }} as fm_score,
        nullif(trim(segment), '') as segment
    from grid

)

select * from final
