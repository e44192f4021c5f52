{#-
    The dynamic segments of the `dynamic_segments` var (a list; the CLI fills it from
    --segments-file), validated, each as {name, description, condition}: `condition` is
    the SQL predicate on customer_profiles, the conditions joined with `and`. Fails with
    one line naming the segment and the field on the first invalid definition. Runs while
    dbt parses, so a bad definition stops the run before anything is built.
-#}
{% macro dynamic_segment_definitions() %}
    {%- set definitions = segments.build_var('dynamic_segments', []) -%}
    {%- if definitions is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if definitions is string or definitions is mapping or definitions is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "segments: var dynamic_segments must be a list of segment definitions"
        ) }}
    {%- endif -%}
    {%- set seen = [] -%}
    {%- set compiled = [] -%}
    {%- for definition in definitions -%}
        {%- set problem = segments.dynamic_segment_problem(definition, loop.index, seen) -%}
        {%- if problem -%}
            {{ exceptions.raise_compiler_error("segments: " ~ problem) }}
        {%- endif -%}
        {%- do seen.append(definition['name']) -%}
        {%- set predicates = [] -%}
        {%- for condition in definition['conditions'] -%}
            {%- do predicates.append(segments.dynamic_segment_condition(condition)) -%}
        {%- endfor -%}
        {%- do compiled.append({
            'name': definition['name'],
            'description': definition.get('description'),
            'condition': predicates | join(' and '),
        }) -%}
    {%- endfor -%}
    {{ return(compiled) }}
{% endmacro %}
