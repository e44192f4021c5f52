{#-
    Select the transactions file named by the `transactions_path` var under the contract's
    column names: required columns must be present (else the build fails with one line),
    optional ones absent from the file come out as null, extra columns are ignored.
    A build appending new files reads only them (new_transactions_files).
-#}
{% macro read_transactions() %}
    {%- set path = segments.build_var('transactions_path', none) -%}
    {%- if not path -%}
        {{ exceptions.raise_compiler_error(
            "segments: no transactions file given; set the transactions_path var "
            ~ "(CLI: segments build --transactions PATH)"
        ) }}
    {%- endif -%}
    {%- set file_format = segments.transactions_file_format() -%}
    {%- set required = ['transaction_id', 'customer_id', 'transaction_at', 'amount'] -%}
    {%- set optional = [
        'status', 'currency', 'quantity', 'product_id', 'category', 'channel'
    ] -%}
    {{ return(segments.read_input_file(
        segments.transactions_files_read(), file_format, required, optional,
        'transactions'
    )) }}
{% endmacro %}

{#-
    The transactions files this build reads: the new files of a build appending them
    (new_transactions_files), else the `transactions_path` var (a file or a glob).
-#}
{% macro transactions_files_read() %}
    {{ return(
        segments.new_transactions_files() or segments.build_var('transactions_path', none)
    ) }}
{% endmacro %}

{#-
    The transaction_id column (as stored) of the transaction files an earlier build loaded:
    every file of `transactions_path` but the new ones an appending build reads. The build
    looks its new ids up in them (stg_input__repeated_transaction_ids). DuckDB only, where
    builds append; only that column of a Parquet file is read.
-#}
{% macro read_loaded_transaction_ids() %}
    {%- set path = segments.build_var('transactions_path') -%}
    {%- set file_format = segments.transactions_file_format() -%}
    {%- set columns = segments.input_file_columns(
        path, file_format, ['transaction_id'], [], 'transactions'
    ) -%}
    {%- set new_files = [] -%}
    {%- for file in segments.new_transactions_files() -%}
        {%- do new_files.append(segments.sql_string_literal(file)) -%}
    {%- endfor -%}
    select {{ segments.quote_identifier(columns['transaction_id']) }} as transaction_id
    from {{ segments.duckdb_input_file_scan(path, file_format) }}
    where source_file not in ({{ new_files | join(', ') }})
{% endmacro %}

{#- The format of the transactions file(s): csv or parquet. -#}
{% macro transactions_file_format() %}
    {{ return(segments.input_file_format(
        segments.build_var('transactions_path'),
        segments.build_var('transactions_format', none)
    )) }}
{% endmacro %}
