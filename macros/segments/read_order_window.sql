{#-
    The window over the transactions input's rows in the order they are read, for a lag()
    that compares each row with the row before it (stg_input__repeated_transaction_ids).
    DuckDB: `over ()`, the order of the scan, computed in one streaming pass without a
    sort. Elsewhere (Spark needs an ordered window for lag): file, then row order.
    Any order serves the check it is used for, which holds in every order it is given.
-#}
{% macro read_order_window() %}
    {{ return(adapter.dispatch('read_order_window', 'segments')()) }}
{% endmacro %}

{% macro default__read_order_window() -%}
    over (order by source_file, source_row_number)
{%- endmacro %}

{% macro duckdb__read_order_window() -%}
    over ()
{%- endmacro %}
