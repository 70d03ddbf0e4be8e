{#- The confidence interval of a ratio of two rates. -#}

{#- One bound of the 95% interval (z = 1.96) of the ratio of two rates, `cases` / `trials`
    against `reference_cases` / `reference_trials` (a risk ratio), by the Katz log method:
    exp(ln(ratio) -/+ z * sqrt(1/a - 1/n + 1/c - 1/m)). The textbook interval for a ratio of two
    proportions; null when either side has no case or no trial (the log of 0). -#}
{% macro risk_ratio_bound(cases, trials, reference_cases, reference_trials, bound) -%}
  {%- set z = 1.96 -%}
  {%- set sign = '-' if bound == 'low' else '+' -%}
  case when {{ cases }} > 0 and {{ trials }} > 0 and {{ reference_cases }} > 0 and {{ reference_trials }} > 0 then
    exp(
      ln((cast({{ cases }} as double) / {{ trials }}) / (cast({{ reference_cases }} as double) / {{ reference_trials }}))
      {{ sign }} {{ z }} * sqrt(
        1.0 / {{ cases }} - 1.0 / {{ trials }} + 1.0 / {{ reference_cases }} - 1.0 / {{ reference_trials }}
      )
    )
  end
{%- endmacro %}
