{#-
    Select a user's segment grid CSV (columns r_score, fm_score, segment, matched
    case-insensitively; other columns ignored) under the grid's column names, as text.
-#}
{% macro read_segment_grid(path) %}
    {%- set columns = segments.input_file_columns(
        path, 'csv', ['r_score', 'fm_score', 'segment'], [], 'segment grid'
    ) -%}
    select
        {{ segments.quote_identifier(columns['r_score']) }} as r_score,
        {{ segments.quote_identifier(columns['fm_score']) }} as fm_score,
        {{ segments.quote_identifier(columns['segment']) }} as segment
    from {{ segments.input_file_reader(path, 'csv') }}
{% endmacro %}
