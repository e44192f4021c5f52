{#-
    Rank-based quintile score 1..5: 1 + floor(5 * (rank - 1) / n), where rank is SQL
    rank() (ties share the lowest rank) and n the number of scored customers. Equal
    values always get equal scores, unlike ntile(), which splits ties arbitrarily.
-#}
{% macro quintile_score(rank_column, count_column) -%}
    (1 + {{ segments.integer_divide('5 * (' ~ rank_column ~ ' - 1)', count_column) }})
{%- endmacro %}
