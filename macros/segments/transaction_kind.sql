{#-
    paid, refund or failed for an accepted transaction (PRODUCT.md): a failed row never
    counts; a refund is status `refunded` or a negative amount; every other row is paid.
-#}
{% macro transaction_kind(status, amount) -%}
    case
        when {{ status }} = 'failed' then 'failed'
        when {{ status }} = 'refunded' or {{ amount }} < 0 then 'refund'
        else 'paid'
    end
{%- endmacro %}

{#-
    A customer's totals over a set of accepted transactions that carry a `transaction_kind`
    column, as the select list of a grouped query: paid purchases (first and last date,
    count, amount), refunded amount, and the latest transaction of any kind (the default
    as-of date is the day after the latest of these). Shared by int_customer_totals and
    the as-of-date path of int_customers_aggregated. The count is a count, not a sum of
    ones: a 64-bit integer on every engine (DuckDB sums integers into a 128-bit HUGEINT,
    which Parquet files and some BI drivers can only hold as a floating-point number).
    Rows of any other kind (int_customer_totals' rejected rows, whose transaction_at it
    sets to null) count in none of them.
-#}
{% macro transaction_totals() -%}
    min(case when transaction_kind = 'paid' then transaction_at end) as first_purchase_at,
    max(case when transaction_kind = 'paid' then transaction_at end) as last_purchase_at,
    count(case when transaction_kind = 'paid' then 1 end) as frequency,
    sum(case when transaction_kind = 'paid' then amount else 0 end) as paid_amount,
    sum(case when transaction_kind = 'refund' then abs(amount) else 0 end) as refunded_amount,
    max(transaction_at) as last_transaction_at
{%- endmacro %}
