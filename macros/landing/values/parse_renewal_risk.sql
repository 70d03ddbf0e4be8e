{#- cs_health_scores.renewal_risk as a risk from 0 (none) to 1 (certain), case-insensitive:
      low / medium / high          0, 0.5, 1
      a flag (parse_flag)          true (at risk) 1, false 0: a "renewal risk" flag that is set
                                   says the renewal is at risk, so it reads as high
      a probability from 0 to 1    as given ("0.35"); 1 and 0 read the same as the flag
    A double; null when the text is missing or none of these (NaN and numbers outside 0-1
    included). -#}
{% macro parse_renewal_risk(text) -%}
  case
    when lower({{ text }}) = 'low' then cast(0 as double)
    when lower({{ text }}) = 'medium' then cast(0.5 as double)
    when lower({{ text }}) = 'high' then cast(1 as double)
    when ({{ parse_flag(text) }}) then cast(1 as double)
    when not ({{ parse_flag(text) }}) then cast(0 as double)
    when {{ try_cast_as(text, 'double') }} >= 0 and {{ try_cast_as(text, 'double') }} <= 1 then {{ try_cast_as(text, 'double') }}
  end
{%- endmacro %}

{% macro renewal_risk_expected() %}{{ return('low, medium, high, a flag (true = high risk) or a probability from 0 to 1') }}{% endmacro %}
