{#-
    Fails (one row) when the model has no rows. `exists` stops at the first row, so the
    test costs next to nothing even on a view over a large input file.
-#}
{% test not_empty(model) %}
select 'no rows' as failure
where not exists (select 1 from {{ model }})
{% endtest %}
