{#-
    Parse text the way DuckDB's casts do with the session in UTC, or give null:
    result='timestamp_utc' as `timezone('UTC', try_cast(x as timestamptz))` (a UTC
    timestamp without time zone), result='date' as `try_cast(x as date)` (the date as
    written; a time and offset are checked, then ignored).

    PostgreSQL's own date input is far more lenient (`01/02/1997`, `today`, `Jan 1 1997`),
    so it only ever reads text already checked against DuckDB's grammar:

      Y-M-D | Y/M/D | Y M D   (month and day of 1 or 2 digits)
      then optionally `T` or spaces and H:M[:S[.fraction]] (fraction truncated to
      microseconds; 24:00:00 is the next midnight), then optionally `Z`, an offset
      (+HH, +HHMM, +HH:MM, +HH:MM:SS) or a space and a time zone name known to the server;
      or `epoch`, `infinity`, `inf`, `-infinity`, `-inf` (any case).

    The usual shapes take a fast path: YYYY-MM-DD, then optionally `T` or a space, HH:MM,
    :SS, .ffffff (up to 6 digits) and `Z` or +HH:MM. Their shape is the text with every
    digit turned into 9 (looked up in a hashed IN list), their fields are checked at fixed
    positions, and PostgreSQL parses the now unambiguous text. Anything else goes to the
    general path, a regular expression with capture groups (tens of microseconds a row)
    whose parts build the value. Each step is a subquery (`offset 0` keeps PostgreSQL from
    inlining it) so that every part is computed once a row.

    Impossible dates (1997-02-30), hours past 24, minutes or seconds past 59 give null.
    Known differences from DuckDB, all outside the input contract, where PostgreSQL gives
    null: years before 1 or after 294246, BC dates, time zone abbreviations and POSIX zones
    that are not zone names on the server (`PST`, `UTC+2`), tabs or line breaks around the
    value. For dates, DuckDB also ignores some text after the time that this grammar rejects.
-#}
{% macro postgres_parse_datetime(expression, result='timestamp_utc') -%}
    {%- if result not in ['timestamp_utc', 'date'] -%}
        {{ exceptions.raise_compiler_error(
            "segments: postgres_parse_datetime result must be timestamp_utc or date, got " ~ result
        ) }}
    {%- endif -%}
    {%- set result_type = 'date' if result == 'date' else 'timestamp' -%}

    {#- Fast path: the shapes, and the fields at fixed positions (null off the fast path). -#}
    {%- set fast_shapes = ["'9999-99-99'"] -%}
    {%- for time in ['99:99', '99:99:99'] + range(1, 7) | map('string') | list -%}
        {%- set time = time if ':' in time else '99:99:99.' ~ ('9' * (time | int)) -%}
        {%- for zone in ['', 'Z', '-99:99'] -%}
            {%- do fast_shapes.append("'9999-99-99 " ~ time ~ zone ~ "'") -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set fast_fields = {
        'fast_year': 'substr(raw, 1, 4)',
        'fast_month': 'substr(raw, 6, 2)',
        'fast_day': 'substr(raw, 9, 2)',
        'fast_hour': "coalesce(nullif(substr(raw, 12, 2), ''), '0')",
        'fast_minute': "coalesce(nullif(substr(raw, 15, 2), ''), '0')",
        'fast_second': "case when substr(raw, 17, 1) = ':' then substr(raw, 18, 2) else '0' end",
        'fast_offset_hour':
            "case when shape like '%-99:99' then substr(raw, length(raw) - 4, 2) else '0' end",
        'fast_offset_minute':
            "case when shape like '%-99:99' then right(raw, 2) else '0' end",
    } -%}

    {#- General path: DuckDB's grammar; the groups of the pattern by name. -#}
    {%- set pattern =
        '^([0-9]+)([-/ ])([0-9]{1,2})([-/ ])([0-9]{1,2})'
        ~ '(?:(?:T *| +)([0-9]+):([0-9]{1,2})(?::([0-9]{1,2})(?:\\.([0-9]*))?)?'
        ~ '(?:(Z)|([+-])([0-9]{2})(?:([0-9]{2})|:([0-9]{2})(?::([0-9]{2}))?)?'
        ~ '| ([A-Za-z][A-Za-z0-9/_+-]*))? *)?$' -%}
    {%- set year = 'cast(parts[1] as integer)' -%}
    {%- set month = 'cast(parts[3] as integer)' -%}
    {%- set day = 'cast(parts[5] as integer)' -%}
    {%- set hour = 'coalesce(cast(parts[6] as integer), 0)' -%}
    {%- set minute = 'coalesce(cast(parts[7] as integer), 0)' -%}
    {%- set second = 'coalesce(cast(parts[8] as integer), 0)' -%}
    {%- set microsecond = "cast(rpad(coalesce(left(parts[9], 6), ''), 6, '0') as integer)" -%}
    {%- set zone_name = 'parts[16]' -%}
    {%- set offset_seconds =
        "coalesce(case parts[11] when '-' then -1 else 1 end * ("
        ~ "cast(parts[12] as integer) * 3600"
        ~ " + cast(coalesce(parts[13], parts[14], '0') as integer) * 60"
        ~ " + cast(coalesce(parts[15], '0') as integer)), 0)" -%}
    {%- set local_timestamp =
        'make_timestamp(' ~ year ~ ', ' ~ month ~ ', ' ~ day ~ ', 0, 0, 0)'
        ~ ' + (' ~ hour ~ ' * 3600 + ' ~ minute ~ ' * 60 + ' ~ second ~ ") * interval '1 second'"
        ~ ' + ' ~ microsecond ~ " * interval '1 microsecond'" -%}
    (
        select
            case
                when
                    fast_year >= 1
                    and fast_month between 1 and 12
                    and fast_day between 1 and {{ segments.postgres_days_in_month('fast_year', 'fast_month') }}
                    and fast_hour <= 23
                    and fast_minute <= 59
                    and fast_second <= 59
                    -- PostgreSQL refuses offsets past 15:59: larger ones take the general path.
                    and fast_offset_hour <= 15
                    and fast_offset_minute <= 59
                    then
                        {%- if result == 'date' %}
                        cast(substr(raw, 1, 10) as date)
                        {%- else %}
                        case
                            when shape like '%Z' or shape like '%-99:99'
                                then timezone('UTC', cast(raw as timestamptz))
                            else cast(raw as timestamp)
                        end
                        {%- endif %}
                else (
                    select
                        case
                            when lower(raw) = 'epoch' then cast('1970-01-01' as {{ result_type }})
                            when lower(raw) in ('infinity', 'inf')
                                then cast('infinity' as {{ result_type }})
                            when lower(raw) in ('-infinity', '-inf')
                                then cast('-infinity' as {{ result_type }})
                            -- A match, the same date separator twice, a year of at most 6 and
                            -- an hour of at most 2 significant digits (the casts cannot fail).
                            when
                                parts is null
                                or parts[2] != parts[4]
                                or length(ltrim(parts[1], '0')) > 6
                                or length(ltrim(parts[6], '0')) > 2
                                then null
                            when
                                {{ year }} between 1 and 294246
                                and {{ month }} between 1 and 12
                                and {{ day }} between 1 and {{ segments.postgres_days_in_month(year, month) }}
                                and {{ minute }} <= 59
                                and {{ second }} <= 59
                                and (
                                    {{ hour }} <= 23
                                    or ({{ hour }} = 24 and {{ minute }} = 0 and {{ second }} = 0
                                        and {{ microsecond }} = 0)
                                )
                                then
                                    {%- if result == 'date' %}
                                    make_date({{ year }}, {{ month }}, {{ day }})
                                    {%- else %}
                                    case
                                        when {{ zone_name }} is null
                                            then {{ local_timestamp }}
                                            - {{ offset_seconds }} * interval '1 second'
                                        -- Zone names of the server, less two ICU lacks.
                                        when lower({{ zone_name }}) in (
                                            select lower(name) from pg_timezone_names
                                            where name not in ('localtime', 'posixrules')
                                        )
                                            then timezone(
                                                'UTC', timezone({{ zone_name }}, {{ local_timestamp }})
                                            )
                                    end
                                    {%- endif %}
                        end
                    from (select regexp_match(raw, '{{ pattern }}') as parts offset 0) as matched
                )
            end
        from (
            select
                raw,
                shape,
                {%- for name, text in fast_fields.items() %}
                case when is_fast_shape then cast({{ text }} as integer) end as {{ name }}
                {{- ',' if not loop.last }}
                {%- endfor %}
            from (
                select
                    raw,
                    shape,
                    shape in ({{ fast_shapes | join(', ') }}) as is_fast_shape
                from (
                    select
                        raw,
                        translate(raw, '0123456789T+', '9999999999 -') as shape
                    from (select {{ expression }} as raw offset 0) as input
                    offset 0
                ) as shaped
                offset 0
            ) as classified
            offset 0
        ) as fields
    )
{%- endmacro %}
