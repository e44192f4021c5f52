{#-
    Labels for whole-number bands from ascending cut-offs, with an optional unit:
    [18, 25, 65] -> ['under 18', '18-24', '25-64', '65+'];
    [90, 365] with ' days' -> ['under 90 days', '90-364 days', '365+ days'].
-#}
{% macro range_labels(cutoffs, unit='') %}
    {%- set labels = ['under ' ~ cutoffs[0] ~ unit] -%}
    {%- for cutoff in cutoffs[:-1] -%}
        {%- do labels.append(cutoff ~ '-' ~ (cutoffs[loop.index0 + 1] - 1) ~ unit) -%}
    {%- endfor -%}
    {%- do labels.append(cutoffs[-1] ~ '+' ~ unit) -%}
    {{ return(labels) }}
{% endmacro %}
