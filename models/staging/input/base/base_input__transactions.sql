-- The transactions file exactly as read: contract columns as text (CSV) or as stored
-- (Parquet), extra columns dropped, with each row's position in its file. On DuckDB a view:
-- the file is read in place by each model that needs it, never copied (see
-- input_materialization); elsewhere a table.
{{ config(materialized=segments.input_materialization()) }}

{{ segments.read_transactions() }}
