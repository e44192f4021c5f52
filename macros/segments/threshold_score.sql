{#-
    Score 1..5 from four fixed, ascending cut-offs.
    lower_is_better = true (recency_days): value <= c1 scores 5, <= c2 scores 4,
    <= c3 scores 3, <= c4 scores 2, above c4 scores 1.
    lower_is_better = false (frequency, monetary): value >= c4 scores 5, >= c3 scores 4,
    >= c2 scores 3, >= c1 scores 2, below c1 scores 1.
    A bigint, as the quintile scores are: the marts' types do not depend on the method.
-#}
{% macro threshold_score(column, cutoffs, lower_is_better, name) %}
    {%- if cutoffs is string or cutoffs is mapping or cutoffs | length != 4 -%}
        {{ exceptions.raise_compiler_error(
            "segments: score_thresholds." ~ name ~ " must be a list of four ascending numbers, got "
            ~ cutoffs
        ) }}
    {%- endif -%}
    {%- for cutoff in cutoffs -%}
        {%- if cutoff is not number or cutoff is boolean -%}
            {{ exceptions.raise_compiler_error(
                "segments: score_thresholds." ~ name ~ " must hold numbers, got " ~ cutoff
            ) }}
        {%- endif -%}
        {%- if not loop.first and cutoff <= cutoffs[loop.index0 - 1] -%}
            {{ exceptions.raise_compiler_error(
                "segments: score_thresholds." ~ name ~ " must be strictly ascending, got "
                ~ cutoffs
            ) }}
        {%- endif -%}
    {%- endfor -%}
    cast(
        case
            {%- if lower_is_better %}
                {%- for cutoff in cutoffs %}
            when {{ column }} <= {{ cutoff }} then {{ 5 - loop.index0 }}
                {%- endfor %}
            else 1
            {%- else %}
                {%- for cutoff in cutoffs | reverse %}
            when {{ column }} >= {{ cutoff }} then {{ 5 - loop.index0 }}
                {%- endfor %}
            else 1
            {%- endif %}
        end
    as {{ dbt.type_bigint() }})
{%- endmacro %}
