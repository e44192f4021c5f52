{#-
    Select an input file under the contract's column names: required columns must be
    present (else the build fails with one line), optional ones absent from the file come
    out as null, extra columns are ignored; plus `source_file`. `what` names the input in
    error messages (customers, events).
-#}
{% macro read_input_file(path, file_format, required, optional, what) %}
    {%- set columns = segments.input_file_columns(path, file_format, required, optional, what) -%}
    select
        {%- for name in required + optional %}
            {% if columns[name] is none -%}
                cast(null as {{ dbt.type_string() }})
            {%- else -%}
                {{ segments.quote_identifier(columns[name]) }}
            {%- endif %} as {{ name }},
        {%- endfor %}
        {{ segments.input_file_metadata_columns() | join(', ') }}
    from {{ segments.input_file_reader(path, file_format) }}
{% endmacro %}
