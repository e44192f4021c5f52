{#-
    Select the transactions file named by the `transactions_path` var under the contract's
    column names: required columns must be present (else the build fails with one line),
    optional ones absent from the file come out as null, extra columns are ignored.
-#}
{% macro read_transactions() %}
    {%- set path = var('transactions_path', none) -%}
    {%- if not path -%}
        {{ exceptions.raise_compiler_error(
            "segments: no transactions file given; set the transactions_path var "
            ~ "(CLI: segments build --transactions PATH)"
        ) }}
    {%- endif -%}
    {%- set file_format = segments.input_file_format(path, var('transactions_format', none)) -%}
    {%- set required = ['transaction_id', 'customer_id', 'transaction_at', 'amount'] -%}
    {%- set optional = [
        'status', 'currency', 'quantity', 'product_id', 'category', 'channel'
    ] -%}
    {{ return(segments.read_input_file(path, file_format, required, optional, 'transactions')) }}
{% endmacro %}
