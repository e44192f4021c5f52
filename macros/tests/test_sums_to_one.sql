{#- Fails when the column's non-null values do not sum to 1 (within tolerance). -#}
{% test sums_to_one(model, column_name, tolerance=0.000001) %}

select total
from (select sum({{ column_name }}) as total from {{ model }}) as summed
where total is not null and abs(total - 1) > {{ tolerance }}

{% endtest %}
