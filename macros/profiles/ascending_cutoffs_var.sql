{#-
    The var `name`, checked to be a list of strictly ascending numbers (whole numbers when
    `whole` is true; exactly `count` of them when given); fails with one line otherwise.
-#}
{% macro ascending_cutoffs_var(name, whole=false, count=none) %}
    {%- set cutoffs = var(name) -%}
    {%- set kind = 'whole numbers' if whole else 'numbers' -%}
    {%- set size = (count ~ ' ') if count else '' -%}
    {%- set problem = "segments: var " ~ name ~ " must be a list of " ~ size
        ~ "strictly ascending " ~ kind ~ ", got " ~ cutoffs -%}
    {%- if cutoffs is string or cutoffs is mapping or cutoffs is not iterable
        or cutoffs | length == 0 or (count and cutoffs | length != count) -%}
        {{ exceptions.raise_compiler_error(problem) }}
    {%- endif -%}
    {%- for cutoff in cutoffs -%}
        {%- if cutoff is boolean or cutoff is not number or (whole and cutoff is not integer)
            or (not loop.first and cutoff <= cutoffs[loop.index0 - 1]) -%}
            {{ exceptions.raise_compiler_error(problem) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(cutoffs) }}
{% endmacro %}
