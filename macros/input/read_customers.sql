{#-
    Select the optional customers file named by the `customers_path` var (customer_id
    required; the other contract columns optional), or zero rows with the same columns when
    no file is given.
-#}
{% macro read_customers() %}
    {%- set required = ['customer_id'] -%}
    {%- set optional = [
        'email', 'birth_date', 'gender', 'education', 'city', 'region', 'country',
        'acquisition_source', 'signed_up_at', 'preferred_channel'
    ] -%}
    {%- set path = segments.build_var('customers_path', none) -%}
    {%- if not path -%}
        {{ return(segments.empty_input(required + optional)) }}
    {%- endif -%}
    {%- set file_format = segments.input_file_format(
        path, var('customers_format', none), 'customers_format'
    ) -%}
    {{ return(segments.read_input_file(path, file_format, required, optional, 'customers')) }}
{% endmacro %}
