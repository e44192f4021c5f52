{#-
    The format of an input file: the explicit `file_format` when given, else guessed from
    the extension of `path` (which may be a glob). `format_hint` names the var (and CLI
    option) that sets the format explicitly, for the error message.
-#}
{% macro input_file_format(path, file_format=none, format_hint='transactions_format (CLI: --format)') %}
    {%- if file_format -%}
        {%- if file_format not in ['csv', 'parquet'] -%}
            {{ exceptions.raise_compiler_error(
                "segments: unknown input format '" ~ file_format ~ "' (expected csv or parquet)"
            ) }}
        {%- endif -%}
        {{ return(file_format) }}
    {%- endif -%}
    {%- set lowered = (path | string).lower() -%}
    {%- for suffix in ['.parquet', '.parq', '.pq'] -%}
        {%- if lowered.endswith(suffix) -%}{{ return('parquet') }}{%- endif -%}
    {%- endfor -%}
    {%- for suffix in ['.csv', '.csv.gz', '.csv.zst', '.txt'] -%}
        {%- if lowered.endswith(suffix) -%}{{ return('csv') }}{%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "segments: cannot tell the format of " ~ path ~ " from its extension; "
        ~ "set " ~ format_hint ~ " to csv or parquet"
    ) }}
{% endmacro %}
