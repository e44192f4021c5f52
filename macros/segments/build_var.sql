{#-
    The var `name` of a build: the JSON value of the environment variable
    SEGMENTS_VAR_<NAME> when it is set and not empty (how the CLI passes the vars of a
    build), else the dbt var (`--vars` or dbt_project.yml), else `default`.

    dbt parses the whole project again whenever its vars change, but only the files that
    read a changed environment variable: so a build of a new transactions file re-parses
    the few models that read its path, not the whole project.
-#}
{% macro build_var(name, default=none) %}
    {%- set env_name = 'SEGMENTS_VAR_' ~ (name | upper) -%}
    {%- set text = env_var(env_name, '') | trim -%}
    {%- if text == '' -%}
        {{ return(var(name, default)) }}
    {%- endif -%}
    {%- set value = fromjson(text) -%}
    {%- if value is none and text != 'null' -%}
        {{ exceptions.raise_compiler_error(
            "segments: " ~ env_name ~ " must hold a JSON value, got '" ~ text ~ "'"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
