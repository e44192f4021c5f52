{#-
    Check dynamic segment definitions without building anything:
    `dbt run-operation check_dynamic_segments --args '{definitions: [...]}'` (default: the
    `dynamic_segments` var). Logs one line per definition, `ok: <name>: <SQL condition>` or
    `invalid: <problem>`, and fails when any is invalid.
-#}
{% macro check_dynamic_segments(definitions=none) %}
    {%- if definitions is none -%}
        {%- set definitions = segments.build_var('dynamic_segments', []) -%}
    {%- endif -%}
    {%- set seen = [] -%}
    {%- set invalid = [] -%}
    {%- for definition in definitions -%}
        {%- set problem = segments.dynamic_segment_problem(definition, loop.index, seen) -%}
        {%- if problem -%}
            {%- do invalid.append(problem) -%}
            {%- do log('invalid: ' ~ problem, info=true) -%}
        {%- else -%}
            {%- do seen.append(definition['name']) -%}
            {%- set predicates = [] -%}
            {%- for condition in definition['conditions'] -%}
                {%- do predicates.append(segments.dynamic_segment_condition(condition)) -%}
            {%- endfor -%}
            {%- do log('ok: ' ~ definition['name'] ~ ': ' ~ predicates | join(' and '), info=true) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if invalid -%}
        {{ exceptions.raise_compiler_error(
            "segments: " ~ invalid | length ~ " invalid dynamic segment definition(s)"
        ) }}
    {%- endif -%}
{% endmacro %}
