{#-
    The direction of a score: every customer with a higher score has a strictly better
    value than every customer with a lower score (so equal values share a score). `higher_is_better` = false for recency_days
    (recency_days falls as R rises). Returns the adjacent score pairs that overlap.
-#}
{% test score_orders_values(model, column_name, value_column, higher_is_better=true) %}

with

ranges as (

    select
        {{ column_name }} as score,
        min({{ value_column }}) as min_value,
        max({{ value_column }}) as max_value
    from {{ model }}
    group by {{ column_name }}

),

pairs as (

    select
        lower_score.score as lower_score,
        higher_score.score as higher_score,
        lower_score.min_value as lower_min,
        lower_score.max_value as lower_max,
        higher_score.min_value as higher_min,
        higher_score.max_value as higher_max
    from ranges as lower_score
    inner join ranges as higher_score
        on lower_score.score < higher_score.score

)

select *
from pairs
where
    {% if higher_is_better -%}
        higher_min <= lower_max
    {%- else -%}
        higher_max >= lower_min
    {%- endif %}

{% endtest %}
