{#-
    A row's position in its input file. Spark tables do not keep insertion order, so the
    position is the `source_row_position` column that spark__input_file_reader takes while
    the file is scanned and base_input__* tables carry (null, hence the cast, in the
    zero-row stand-in for an absent optional file).
-#}
{% macro spark__source_row_id() -%}
    cast(source_row_position as bigint)
{%- endmacro %}
