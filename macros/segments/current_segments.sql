{#-
    How customer_segments is materialized: a view over segment_history on DuckDB and
    PostgreSQL, so a build writes each scored customer once (in the history) rather than
    twice; a table on Spark, whose warehouse tables are what a Spark build publishes.
-#}
{% macro current_segments_materialization() %}
    {{ return(adapter.dispatch('current_segments_materialization', 'segments')()) }}
{% endmacro %}

{% macro default__current_segments_materialization() %}
    {{ return('view') }}
{% endmacro %}

{#-
    The current as-of date of the build as a SQL date literal, read from
    int_as_of_dates_resolved while the model runs; none while parsing, or when that table
    does not exist yet (a compile before any build).
-#}
{% macro current_as_of_date_literal(as_of_dates) %}
    {%- if not segments.relation_exists(as_of_dates) -%}{{ return(none) }}{%- endif -%}
    {%- set found = run_query(
        "select cast(as_of_date as " ~ dbt.type_string() ~ ") from " ~ as_of_dates
        ~ " where is_current"
    ) -%}
    {%- if found.rows | length != 1 -%}{{ return(none) }}{%- endif -%}
    {%- set text = found.rows[0][0] | string -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
        {{ exceptions.raise_compiler_error(
            "segments: the current as-of date read from " ~ as_of_dates
            ~ " is not a YYYY-MM-DD date: '" ~ text ~ "'"
        ) }}
    {%- endif -%}
    {{ return("cast('" ~ text ~ "' as date)") }}
{% endmacro %}

{#-
    The segment definitions (segment, segment_description, recommended_action) as a query
    of literal rows, read from `definitions` while the model runs; none while parsing, or
    when the relation does not exist yet.
-#}
{% macro segment_definitions_literal(definitions) %}
    {%- if not segments.relation_exists(definitions) -%}{{ return(none) }}{%- endif -%}
    {%- set found = run_query(
        "select segment, segment_description, recommended_action from " ~ definitions
        ~ " order by segment"
    ) -%}
    {%- if found.rows | length == 0 -%}{{ return(none) }}{%- endif -%}
    {%- set selects = [] -%}
    {%- for row in found.rows -%}
        {%- set values = [] -%}
        {%- for value in row -%}
            {%- do values.append(
                'cast(null as ' ~ dbt.type_string() ~ ')' if value is none
                else segments.sql_string_literal(value)
            ) -%}
        {%- endfor -%}
        {%- do selects.append(
            'select ' ~ values[0] ~ ' as segment, ' ~ values[1] ~ ' as segment_description, '
            ~ values[2] ~ ' as recommended_action'
        ) -%}
    {%- endfor -%}
    {{ return(selects | join('\n        union all\n        ')) }}
{% endmacro %}
