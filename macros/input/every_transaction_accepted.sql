{#-
    True when the accepted rows counted in `totals` (int_customer_totals, accepted_rows)
    are as many as the rows of every transactions file read (`files_counted`,
    int_transaction_files_counted, input_rows). Every row is either accepted or rejected,
    so then no row is rejected and rejected_transactions need not read the files again.
    Both tables keep every loaded file's count, also after a build that appends files.
    False while dbt parses or in a unit test, when either table is missing, and when the
    totals were written before they had accepted_rows: rejected_transactions then reads
    the files as usual. A build at given as-of dates leaves the totals empty, so the counts
    differ unless the files are empty.
-#}
{% macro every_transaction_accepted(totals, files_counted) %}
    {%- if not (segments.relation_exists(totals) and segments.relation_exists(files_counted)) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if not segments.relation_has_column(totals, 'accepted_rows') -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set counted = run_query(
        'select (select coalesce(sum(accepted_rows), 0) from ' ~ totals ~ ') as accepted_rows,'
        ~ ' (select coalesce(sum(input_rows), 0) from ' ~ files_counted ~ ') as input_rows'
    ) -%}
    {%- set row = counted.rows[0] -%}
    {{ return(row[0] == row[1]) }}
{% endmacro %}
