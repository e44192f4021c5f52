{#-
    True when `relation` is a table or view of the database. False while dbt parses the
    project, and for a unit test's input (a fixture named without a schema, or a string).
-#}
{% macro relation_exists(relation) %}
    {%- if not execute or relation is string or not relation.schema -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) is not none) }}
{% endmacro %}
