{#- The Wilson score interval of a rate. -#}

{#- One bound of the Wilson score interval (95%, z = 1.96) of a rate: `successes` out of `trials`.
    Better than the normal approximation for the small counts and rates near 0 a quarter of
    renewals gives; null when there are no trials. -#}
{% macro wilson_bound(successes, trials, bound) -%}
  {%- set z = 1.96 -%}
  {%- set sign = '-' if bound == 'low' else '+' -%}
  case when {{ trials }} > 0 then
    (
      cast({{ successes }} as double) / {{ trials }} + {{ z * z }} / (2.0 * {{ trials }})
      {{ sign }} {{ z }} * sqrt(
        (cast({{ successes }} as double) / {{ trials }}) * (1 - cast({{ successes }} as double) / {{ trials }}) / {{ trials }}
        + {{ z * z }} / (4.0 * {{ trials }} * {{ trials }})
      )
    ) / (1 + {{ z * z }} / {{ trials }})
  end
{%- endmacro %}
