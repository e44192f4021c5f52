-- The transactions file exactly as read: contract columns as text (CSV) or as stored
-- (Parquet), extra columns dropped. Materialized as a table (an exception to the staging
-- default) so the file is scanned once and its row order is kept for source_row_number.
{{ config(materialized='table') }}

{{ segments.read_transactions() }}
