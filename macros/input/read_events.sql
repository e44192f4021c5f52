{#-
    Select the optional events file named by the `events_path` var (customer_id, event_at
    and event_type required), or zero rows with the same columns when no file is given.
-#}
{% macro read_events() %}
    {%- set required = ['customer_id', 'event_at', 'event_type'] -%}
    {%- set path = segments.build_var('events_path', none) -%}
    {%- if not path -%}
        {{ return(segments.empty_input(required)) }}
    {%- endif -%}
    {%- set file_format = segments.input_file_format(
        path, var('events_format', none), 'events_format'
    ) -%}
    {{ return(segments.read_input_file(path, file_format, required, [], 'events')) }}
{% endmacro %}
