{#-
    True when `relation` has a column named `column` (case-insensitive), or does not exist
    (nothing to upgrade). Used by segment_history to tell a table written before a column
    was added. Always true while dbt parses the project, and in a unit test (where `this`
    names the test's fixture, not a relation).
-#}
{% macro relation_has_column(relation, column) %}
    {%- if not execute or relation is string -%}{{ return(true) }}{%- endif -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {%- if existing is none -%}{{ return(true) }}{%- endif -%}
    {%- for found in adapter.get_columns_in_relation(existing) -%}
        {%- if found.name | lower == column | lower -%}{{ return(true) }}{%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}
