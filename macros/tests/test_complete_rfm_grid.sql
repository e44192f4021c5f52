{#-
    Every (R score, FM score) cell of the 5 x 5 grid maps to exactly one segment:
    returns the cells with no row, with several rows or with an empty segment, and any
    row whose scores fall outside 1..5.
-#}
{% test complete_rfm_grid(model, r_column='r_score', fm_column='fm_score', segment_column='segment') %}

with

scores as (

    {%- for score in range(1, 6) %}
    select {{ score }} as score
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}

),

cells as (

    select
        r.score as r_score,
        fm.score as fm_score
    from scores as r
    cross join scores as fm

),

grid as (

    select
        {{ r_column }} as r_score,
        {{ fm_column }} as fm_score,
        {{ segment_column }} as segment
    from {{ model }}

),

cell_counts as (

    select
        cells.r_score,
        cells.fm_score,
        count(grid.r_score) as rows_in_cell,
        count(grid.segment) as segments_in_cell
    from cells
    left join grid
        on
            cells.r_score = grid.r_score
            and cells.fm_score = grid.fm_score
    group by cells.r_score, cells.fm_score

)

select
    r_score,
    fm_score,
    case
        when rows_in_cell = 0 then 'cell has no segment'
        when rows_in_cell > 1 then 'cell has several rows'
        else 'cell has an empty segment'
    end as problem
from cell_counts
where rows_in_cell != 1 or segments_in_cell != 1

union all

select
    r_score,
    fm_score,
    'score outside 1..5' as problem
from grid
where
    r_score is null or fm_score is null
    or r_score not between 1 and 5
    or fm_score not between 1 and 5

{% endtest %}
