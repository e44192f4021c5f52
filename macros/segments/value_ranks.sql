{#-
    A relation of (as_of_date, `column`, `rank_name`): for each distinct value of `column`
    among the rows of `relation` at an as-of date, the SQL rank() a row with that value
    gets when the rows are ordered by `column` `direction` (1 + the rows ordered before
    it; ties share a rank). Counting the rows per distinct value and summing the counts
    over the few distinct values gives the same ranks as rank() over every row, without
    sorting every row: a recency in days or a purchase count has few distinct values.
-#}
{% macro value_ranks(relation, column, direction, rank_name) -%}
    select
        as_of_date,
        {{ column }},
        cast(
            1 + sum(value_rows) over (
                partition by as_of_date order by {{ column }} {{ direction }}
            ) - value_rows
            as {{ dbt.type_bigint() }}
        ) as {{ rank_name }}
    from (
        select
            as_of_date,
            {{ column }},
            count(*) as value_rows
        from {{ relation }}
        group by as_of_date, {{ column }}
    ) as value_counts
{%- endmacro %}
