{#-
    The zero-row stand-in for an optional input file that was not given: the contract's
    columns as typed nulls, plus the reader's own columns (input_file_metadata_columns:
    `source_file`, and `source_row_position` on Spark), and no row. Every model downstream
    then builds with the right columns and no data.
-#}
{% macro empty_input(columns) %}
    select
        {%- for name in columns + segments.input_file_metadata_columns() %}
        cast(null as {{ dbt.type_string() }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    where false
{% endmacro %}
