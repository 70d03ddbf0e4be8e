{#- renewal_outcomes.outcome, case-insensitive: renewed, churned, contracted, expanded. Text;
    null when the text is missing or none of these (a required field: the row is quarantined). -#}
{% macro parse_outcome(text) -%}
  case
    when lower({{ text }}) in ('renewed', 'churned', 'contracted', 'expanded') then lower({{ text }})
  end
{%- endmacro %}

{% macro outcome_expected() %}{{ return('renewed, churned, contracted or expanded') }}{% endmacro %}
