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

{#-
    The rows at which the repeated-id check splits the transactions input into parts
    compared at once, one per DuckDB thread (stg_input__repeated_transaction_ids), in
    increasing order; each is the last row of one part and the first of the next. Empty:
    one pass. DuckDB, one Parquet file of more rows than threads, and a build that does
    not append: literals, so that each part's scan reads only its part's row groups. A CSV
    file is numbered on one thread whatever is done with it, and the files of a glob have
    no one order of rows to split: one pass. Elsewhere, one ordered pass.
-#}
{% macro read_order_split_rows() %}
    {{ return(adapter.dispatch('read_order_split_rows', 'segments')()) }}
{% endmacro %}

{% macro default__read_order_split_rows() %}
    {{ return([]) }}
{% endmacro %}

{% macro duckdb__read_order_split_rows() %}
    {%- set path = segments.build_var('transactions_path', none) -%}
    {%- if not execute or not path or segments.appending() or segments.is_many_files(path)
        or segments.transactions_file_format() != 'parquet' -%}
        {{ return([]) }}
    {%- endif -%}
    {#- A Parquet file's row count is in its footer: nothing else is read. -#}
    {%- set found = run_query(
        "select count(*), current_setting('threads') from read_parquet("
        ~ segments.sql_string_literal(path) ~ ")"
    ) -%}
    {%- set rows = found.columns[0].values()[0] | int -%}
    {%- set parts = [found.columns[1].values()[0] | int, rows - 1] | min -%}
    {%- set split_rows = [] -%}
    {%- for part in range(1, parts) -%}
        {%- do split_rows.append(1 + (part * (rows - 1)) // parts) -%}
    {%- endfor -%}
    {{ return(split_rows) }}
{% endmacro %}

{#-
    True when the repeated-id check reads the transaction ids into memory first, on every
    core, and numbers them in the order read afterwards, instead of reading a scan that
    numbers its rows (stg_input__repeated_transaction_ids). DuckDB and CSV input: a
    window over the CSV scan itself, which the row numbers of base_input__transactions
    are, keeps the whole parse on one thread (at 10M rows 4.6 s against 2.6 s for the
    check). The ids held in memory keep the order they were read in, as every result
    does with `preserve_insertion_order` (profiles.yml), so their numbers are the scan's.
    Elsewhere, and for Parquet, whose row numbers cost nothing: false.
-#}
{% macro read_order_numbered_in_memory() %}
    {{ return(adapter.dispatch('read_order_numbered_in_memory', 'segments')()) }}
{% endmacro %}

{% macro default__read_order_numbered_in_memory() %}
    {{ return(false) }}
{% endmacro %}

{% macro duckdb__read_order_numbered_in_memory() %}
    {%- set path = segments.build_var('transactions_path', none) -%}
    {{ return(
        execute and path is not none and segments.transactions_file_format() == 'csv'
    ) }}
{% endmacro %}
