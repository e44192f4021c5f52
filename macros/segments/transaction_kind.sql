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
