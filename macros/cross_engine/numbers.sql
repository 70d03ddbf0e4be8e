{#- Numbers the same on every engine: exact decimals, rounding, percentiles, integer rows. -#}

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

{#- The integers 0..n-1 as rows of `offset_n`: used to fan a week out to the windows it belongs to. -#}
{% macro integer_rows(n) -%}
  {%- for i in range(n) %}
  select {{ i }} as offset_n{% if not loop.last %} union all{% endif %}
  {%- endfor %}
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
