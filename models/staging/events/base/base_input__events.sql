-- The events file exactly as read (contract columns, extra columns dropped), with each
-- row's position in its file, or zero rows when no events file is given.
-- Materialized like base_input__transactions (input_materialization).
{{ config(materialized=segments.input_materialization()) }}

{{ segments.read_events() }}
