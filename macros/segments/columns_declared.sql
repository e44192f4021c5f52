{#-
    Whether a model declaring its columns' types and storage (segment_history) enforces
    them: on DuckDB, whose table is then made with those columns (customer_id stored
    uncompressed, see docs/decisions.md, "segment_history's customer_id is stored
    uncompressed") and filled from the model's query. The declared types are DuckDB's;
    elsewhere the engine's own types are kept.
-#}
{% macro columns_declared() %}
    {{ return(adapter.dispatch('columns_declared', 'segments')()) }}
{% endmacro %}

{% macro default__columns_declared() %}
    {{ return(false) }}
{% endmacro %}

{% macro duckdb__columns_declared() %}
    {{ return(true) }}
{% endmacro %}
