{#- The var `name`, checked to be a whole number >= 1; fails with one line otherwise. -#}
{% macro positive_integer_var(name) %}
    {%- set value = var(name) -%}
    {%- if value is not integer or value is boolean or value < 1 -%}
        {{ exceptions.raise_compiler_error(
            "segments: var " ~ name ~ " must be a whole number >= 1, got " ~ value
        ) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
