{#-
    True when `relation` is a table or view of the database and holds no row, found by one
    small query while the model calling it runs (its parents are built by then). False
    whenever that is not known: while dbt parses the project, in a unit test (whose inputs
    are fixtures, not relations of the database) or when the relation does not exist.
-#}
{% macro relation_is_empty(relation) %}
    {%- if not segments.relation_exists(relation) -%}{{ return(false) }}{%- endif -%}
    {%- set found = run_query('select 1 from ' ~ relation ~ ' limit 1') -%}
    {{ return(found.rows | length == 0) }}
{% endmacro %}
