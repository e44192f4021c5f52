-- The events file exactly as read (contract columns, extra columns dropped), or zero rows
-- when no events file is given. A table, like base_input__transactions: the file is
-- scanned once and its row order gives source_row_number.
{{ config(materialized='table') }}

{{ segments.read_events() }}
