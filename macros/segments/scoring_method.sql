{#- The validated `scoring_method` var: quintile (default) or thresholds. -#}
{% macro scoring_method() %}
    {%- set method = segments.build_var('scoring_method', 'quintile') -%}
    {%- if method not in ['quintile', 'thresholds'] -%}
        {{ exceptions.raise_compiler_error(
            "segments: unknown scoring_method '" ~ method ~ "' (expected quintile or thresholds)"
        ) }}
    {%- endif -%}
    {{ return(method) }}
{% endmacro %}
