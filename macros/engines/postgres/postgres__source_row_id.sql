{#-
    A row's position in its input file: the `source_row_index` the loader numbered in file
    order (null, hence the cast, in the zero-row stand-in for an absent optional file).
-#}
{% macro postgres__source_row_id() -%}
    cast(source_row_index as bigint)
{%- endmacro %}
