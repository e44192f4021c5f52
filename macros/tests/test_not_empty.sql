{#- Fails (one row) when the model has no rows. -#}
{% test not_empty(model) %}

select 'no rows' as failure
from (select count(*) as row_count from {{ model }}) as counted
where row_count = 0

{% endtest %}
