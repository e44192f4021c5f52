{#-
    Why one dynamic segment definition (item `position`, 1-based, of the list) is invalid,
    as one line naming the segment and the field, or none when it is valid. `seen` holds
    the names of the definitions before it.
-#}
{% macro dynamic_segment_problem(definition, position, seen=[]) %}
    {%- set columns = segments.dynamic_segment_columns() -%}
    {%- set operators = segments.dynamic_segment_operators() -%}
    {%- set where = 'dynamic segment #' ~ position -%}
    {%- if definition is not mapping -%}
        {{ return(where ~ ": must be a mapping with name, description and conditions") }}
    {%- endif -%}
    {%- set name = definition.get('name') -%}
    {%- if name is not string or not modules.re.fullmatch('[a-z][a-z0-9_]{0,62}', name) -%}
        {{ return(where ~ ": name must be a lower-case identifier (a-z, 0-9 and _, starting "
            ~ "with a letter, at most 63 characters), got '" ~ name ~ "'") }}
    {%- endif -%}
    {%- set where = "dynamic segment '" ~ name ~ "'" -%}
    {%- if name in seen -%}
        {{ return(where ~ ": name is used by more than one dynamic segment") }}
    {%- endif -%}
    {%- for key in definition -%}
        {%- if key not in ['name', 'description', 'conditions'] -%}
            {{ return(where ~ ": unknown field '" ~ key ~ "' (expected name, description, conditions)") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set description = definition.get('description') -%}
    {%- if description is not none -%}
        {%- set problem = segments.dynamic_segment_value_problem(description, 'text') -%}
        {%- if problem -%}{{ return(where ~ ": description " ~ problem) }}{%- endif -%}
    {%- endif -%}
    {%- set conditions = definition.get('conditions') -%}
    {%- if conditions is string or conditions is mapping or conditions is not iterable
        or conditions | length == 0 -%}
        {{ return(where ~ ": conditions must be a non-empty list") }}
    {%- endif -%}
    {%- for condition in conditions -%}
        {%- set field = where ~ " condition " ~ loop.index -%}
        {%- if condition is not mapping -%}
            {{ return(field ~ ": must be a mapping with column, operator and value") }}
        {%- endif -%}
        {%- for key in condition -%}
            {%- if key not in ['column', 'operator', 'value'] -%}
                {{ return(field ~ ": unknown field '" ~ key ~ "' (expected column, operator, value)") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set column = condition.get('column') -%}
        {%- if column is not string or column not in columns -%}
            {{ return(field ~ ": unknown column '" ~ column ~ "' (customer_profiles has "
                ~ columns.keys() | list | join(', ') ~ ")") }}
        {%- endif -%}
        {%- set value_type = columns[column] -%}
        {%- set operator = condition.get('operator') -%}
        {%- if operator is not string or operator not in operators[value_type] -%}
            {{ return(field ~ ": operator '" ~ operator ~ "' cannot be used on " ~ value_type
                ~ " column " ~ column ~ " (use " ~ operators[value_type] | join(', ') ~ ")") }}
        {%- endif -%}
        {%- set has_value = 'value' in condition -%}
        {%- set value = condition.get('value') -%}
        {%- if operator in ['is_null', 'is_not_null'] -%}
            {%- if has_value -%}
                {{ return(field ~ ": operator " ~ operator ~ " takes no value") }}
            {%- endif -%}
        {%- elif operator in ['in', 'not_in'] -%}
            {%- if value is string or value is mapping or value is not iterable
                or value | length == 0 -%}
                {{ return(field ~ ": value of " ~ column ~ " " ~ operator
                    ~ " must be a non-empty list") }}
            {%- endif -%}
            {%- for item in value -%}
                {%- set problem = segments.dynamic_segment_value_problem(item, value_type) -%}
                {%- if problem -%}
                    {{ return(field ~ ": value " ~ loop.index ~ " of " ~ column ~ " " ~ problem) }}
                {%- endif -%}
            {%- endfor -%}
        {%- else -%}
            {%- set problem = segments.dynamic_segment_value_problem(value, value_type) -%}
            {%- if problem -%}
                {{ return(field ~ ": value of " ~ column ~ " " ~ problem) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}
