{#-
    Map the contract's column names to the columns of an input file, matching names
    case-insensitively after trimming. Returns {canonical name: file column name or none}.
    Fails with one line when a required column is missing or a name is ambiguous.
-#}
{% macro input_file_columns(path, file_format, required, optional, what) %}
    {%- set mapping = {} -%}
    {%- if not execute -%}
        {%- for name in required + optional -%}{%- do mapping.update({name: name}) -%}{%- endfor -%}
        {{ return(mapping) }}
    {%- endif -%}
    {%- set found = {} -%}
    {%- for column_name in segments.input_file_column_names(path, file_format) -%}
        {%- set key = column_name | trim | lower -%}
        {%- if column_name != 'source_file' -%}
            {%- if key in found and key in (required + optional) -%}
                {{ exceptions.raise_compiler_error(
                    "segments: " ~ what ~ " file " ~ path ~ " has the column '" ~ key
                    ~ "' more than once (names are matched case-insensitively)"
                ) }}
            {%- endif -%}
            {%- do found.update({key: column_name}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for name in required -%}
        {%- if name not in found -%}{%- do missing.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "segments: " ~ what ~ " file " ~ path ~ " is missing required column(s): "
            ~ missing | join(', ') ~ " (found: " ~ found.values() | list | join(', ') ~ ")"
        ) }}
    {%- endif -%}
    {%- for name in required + optional -%}
        {%- do mapping.update({name: found.get(name)}) -%}
    {%- endfor -%}
    {{ return(mapping) }}
{% endmacro %}
