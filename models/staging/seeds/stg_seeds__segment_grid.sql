-- The segment grid in use: the bundled `segment_grid` seed, or the user's CSV named by
-- the `segment_grid_path` var (columns r_score, fm_score, segment).
{%- set grid_path = var('segment_grid_path', none) %}

with

{% if grid_path -%}
    {%- set columns = segments.input_file_columns(
        grid_path, 'csv', ['r_score', 'fm_score', 'segment'], [], 'segment grid'
    ) %}

grid as (

    select
        {{ segments.quote_identifier(columns['r_score']) }} as r_score,
        {{ segments.quote_identifier(columns['fm_score']) }} as fm_score,
        {{ segments.quote_identifier(columns['segment']) }} as segment
    from {{ segments.input_file_reader(grid_path, 'csv') }}

),
{%- else %}

grid as (

    select * from {{ ref('segment_grid') }}

),
{%- endif %}

final as (

    select
        {{ segments.try_cast('trim(cast(r_score as ' ~ dbt.type_string() ~ '))', dbt.type_int()) }}
        as r_score,
        {{ segments.try_cast('trim(cast(fm_score as ' ~ dbt.type_string() ~ '))', dbt.type_int()) }}
        as fm_score,
        nullif(trim(segment), '') as segment
    from grid

)

select * from final
