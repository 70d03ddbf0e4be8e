{#-
  Small portable helpers. Where DuckDB and Spark differ, the difference lives here, behind
  adapter.dispatch, and never in a model.
-#}

{#- A text value as a UTC timestamp: ISO 8601, with or without an offset (without = UTC).
    Unparseable text gives null; the base models turn that into a quarantine reason. -#}
{% macro parse_utc_timestamp(column) -%}
  {{ return(adapter.dispatch('parse_utc_timestamp', 'usage_health')(column)) }}
{%- endmacro %}

{% macro default__parse_utc_timestamp(column) -%}
  to_utc_timestamp(cast({{ column }} as timestamp), 'UTC')
{%- endmacro %}

{#- Spark: a text with an offset is that instant; without one, UTC (the session time zone is UTC,
    profiles.yml). try_cast gives null for text that is not a timestamp, with ANSI mode on or off. -#}
{% macro spark__parse_utc_timestamp(column) -%}
  try_cast({{ column }} as timestamp)
{%- endmacro %}

{#- Plain `YYYY-MM-DD[ HH:MM:SS]` text (at most 19 characters, no sign after the date: no room for
    an offset or a zone name) casts straight to a timestamp, UTC by the contract and several
    times cheaper than the time-zone-aware cast; anything else takes that cast, converted to UTC. -#}
{% macro duckdb__parse_utc_timestamp(column) -%}
  coalesce(
    case
      when
        length({{ column }}) <= 19
        and strpos(substr({{ column }}, 11), '+') = 0
        and strpos(substr({{ column }}, 11), '-') = 0
        then try_cast({{ column }} as timestamp)
    end,
    timezone('UTC', try_cast({{ column }} as timestamptz))
  )
{%- endmacro %}

{#- Text to a number or date; null when it cannot be cast (the base models turn that into a
    quarantine reason). dbt.safe_cast is a plain cast on DuckDB, which fails the whole build. -#}
{% macro try_cast_as(column, type) -%}
  {{ return(adapter.dispatch('try_cast_as', 'usage_health')(column, type)) }}
{%- endmacro %}

{% macro default__try_cast_as(column, type) -%}
  {{ dbt.safe_cast(column, type) }}
{%- endmacro %}

{% macro spark__try_cast_as(column, type) -%}
  try_cast({{ column }} as {{ type }})
{%- endmacro %}

{% macro duckdb__try_cast_as(column, type) -%}
  try_cast({{ column }} as {{ type }})
{%- endmacro %}

{#- Empty or blank text is missing. -#}
{% macro clean_text(column) -%}
  nullif(trim({{ column }}), '')
{%- endmacro %}

{#- Date arithmetic in whole days, returning dates. -#}
{% macro add_days(date_expr, days) -%}
  {{ return(adapter.dispatch('add_days', 'usage_health')(date_expr, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, days) -%}
  date_add({{ date_expr }}, {{ days }})
{%- endmacro %}

{% macro duckdb__add_days(date_expr, days) -%}
  cast({{ date_expr }} + cast({{ days }} as integer) as date)
{%- endmacro %}

{#- Whole days from start to end (end - start). -#}
{% macro days_between(start_date, end_date) -%}
  {{ return(adapter.dispatch('days_between', 'usage_health')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
  datediff(cast({{ end_date }} as date), cast({{ start_date }} as date))
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
  date_diff('day', cast({{ start_date }} as date), cast({{ end_date }} as date))
{%- endmacro %}

{#- Whole seconds between two timestamps (an integer: sums of it are exact in any order). -#}
{% macro seconds_between(start_ts, end_ts) -%}
  {{ return(adapter.dispatch('seconds_between', 'usage_health')(start_ts, end_ts)) }}
{%- endmacro %}

{% macro default__seconds_between(start_ts, end_ts) -%}
  (unix_timestamp({{ end_ts }}) - unix_timestamp({{ start_ts }}))
{%- endmacro %}

{% macro duckdb__seconds_between(start_ts, end_ts) -%}
  date_diff('second', {{ start_ts }}, {{ end_ts }})
{%- endmacro %}

{#- A score or weight as an exact decimal: sums of decimals do not depend on the order rows
    arrive in, so composites are identical from one build to the next. -#}
{% macro exact(expression, scale=4) -%}
  cast({{ round_to(expression, scale) }} as decimal(18, {{ scale }}))
{%- endmacro %}

{#- A double rounded half away from zero to `digits` decimals, with the same arithmetic on every
    engine: sign(x) * floor(|x| * 10^digits + 0.5) / 10^digits in binary floating point. The
    engines' own round() differ on doubles: DuckDB rounds the exact binary value (5.70625 is
    stored as 5.7062499..., giving 5.7062), Spark rounds its shortest decimal form (5.7063).
    Scores are rounded before the quadrant is decided, so both must round alike. For decimals,
    plain round() is exact and the same on both. -#}
{% macro round_to(expression, digits) -%}
  {%- set scale = 'cast(' ~ (10 ** digits) ~ ' as double)' -%}
  (sign(cast({{ expression }} as double)) * floor(abs(cast({{ expression }} as double)) * {{ scale }} + 0.5) / {{ scale }})
{%- endmacro %}

{#- The Monday starting the week of a date or timestamp. -#}
{% macro week_start(column) -%}
  cast({{ dbt.date_trunc('week', column) }} as date)
{%- endmacro %}

{#- One row per Monday from start_date to end_date (inclusive), column `week_start`. -#}
{% macro week_series(start_date, end_date) -%}
  {{ return(adapter.dispatch('week_series', 'usage_health')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__week_series(start_date, end_date) -%}
  select explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 7 days)) as week_start
{%- endmacro %}

{% macro duckdb__week_series(start_date, end_date) -%}
  select cast(range as date) as week_start
  from range(cast({{ start_date }} as date), cast({{ end_date }} as date) + 1, interval 7 day)
{%- endmacro %}

{#- A one-way hash for ids that are personal data (user ids): counted, never shown. -#}
{% macro hash_id(column) -%}
  {{ return(adapter.dispatch('hash_id', 'usage_health')(column)) }}
{%- endmacro %}

{% macro default__hash_id(column) -%}
  {{ dbt.hash(column) }}
{%- endmacro %}

{#- DuckDB: the first 72 bits of the md5 as 12 base64 characters. DuckDB keeps strings of up to 12
    bytes inline, so grouping and partitioning 100M events by user is several times cheaper than
    on 32-character hex; 72 bits keep a collision between two of a million users below 1e-9. -#}
{% macro duckdb__hash_id(column) -%}
  left(to_base64(unhex(md5(cast({{ column }} as varchar)))), 12)
{%- endmacro %}

{#- Spark: the same 12 characters as on DuckDB, so a user counts once on either engine. -#}
{% macro spark__hash_id(column) -%}
  left(base64(unhex(md5(cast({{ column }} as string)))), 12)
{%- endmacro %}

{#- The integers 0..n-1 as rows of `offset_n`: used to fan a week out to the windows it belongs to. -#}
{% macro integer_rows(n) -%}
  {%- for i in range(n) %}
  select {{ i }} as offset_n{% if not loop.last %} union all{% endif %}
  {%- endfor %}
{%- endmacro %}

{#- Raw text values of a landing row as `column=value; ...`, for the quarantine. -#}
{% macro pack_raw_values(columns) -%}
  concat_ws('; '
  {%- for column in columns -%}
    , '{{ column }}=' || coalesce(cast({{ column }} as {{ dbt.type_string() }}), '<null>')
  {%- endfor -%}
  )
{%- endmacro %}

{#- Reasons a row cannot be kept: the reader's own (`_landing_problem`: a CSV row with the wrong
    number of fields) and each check (condition, reason) that holds, joined by '; ', or null
    when the row is good. -#}
{% macro quarantine_reason(checks) -%}
  nullif(concat_ws('; ', _landing_problem
  {%- for condition, reason in checks -%}
    , case when {{ condition }} then '{{ reason }}' end
  {%- endfor -%}
  ), '')
{%- endmacro %}

{#- The continuous (interpolated) percentile of a column, `fraction` in 0-1, as an aggregate. -#}
{% macro percentile_cont(column, fraction) -%}
  {{ return(adapter.dispatch('percentile_cont', 'usage_health')(column, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont(column, fraction) -%}
  percentile({{ column }}, {{ fraction }})
{%- endmacro %}

{% macro duckdb__percentile_cont(column, fraction) -%}
  quantile_cont({{ column }}, {{ fraction }})
{%- endmacro %}

{#- A quarter's label, e.g. '2026-Q3', from a date. -#}
{% macro quarter_label(date_expr) -%}
  concat(
    cast(extract(year from {{ date_expr }}) as {{ dbt.type_string() }}),
    '-Q',
    cast(extract(quarter from {{ date_expr }}) as {{ dbt.type_string() }})
  )
{%- endmacro %}

{#- A fast 64-bit hash of a value (not for privacy: see hash_id). Used to find repeated keys among
    a hundred million rows without a hash table of the keys themselves; a collision only sends a
    few extra rows down the exact path, never changes a result. -#}
{% macro fast_hash(expression) -%}
  {{ return(adapter.dispatch('fast_hash', 'usage_health')(expression)) }}
{%- endmacro %}

{% macro default__fast_hash(expression) -%}
  xxhash64({{ expression }})
{%- endmacro %}

{% macro duckdb__fast_hash(expression) -%}
  hash({{ expression }})
{%- endmacro %}
