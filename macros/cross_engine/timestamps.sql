{#- Text to UTC timestamps, the same on DuckDB and Spark. -#}

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
