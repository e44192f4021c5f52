{#-
    A CASE expression putting `column` in a band: below the first cut-off -> labels[0];
    from cut-off i (included) to the next (excluded) -> labels[i + 1]; null -> null.
    `labels` has one more item than `cutoffs`.
-#}
{% macro band_case(column, cutoffs, labels) -%}
    case
        when {{ column }} is null then null
        {%- for cutoff in cutoffs %}
        when {{ column }} < {{ cutoff }} then {{ segments.sql_string_literal(labels[loop.index0]) }}
        {%- endfor %}
        else {{ segments.sql_string_literal(labels[-1]) }}
    end
{%- endmacro %}
