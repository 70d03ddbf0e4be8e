{#- support_tickets.priority, case-insensitive: low; normal (or medium); high; urgent (or
    critical). Zendesk writes low / normal / high / urgent, Salesforce Low / Medium / High
    (Critical where configured). Text; null when the text is missing or none of these. -#}
{% macro parse_priority(text) -%}
  case
    when lower({{ text }}) = 'low' then 'low'
    when lower({{ text }}) in ('normal', 'medium') then 'normal'
    when lower({{ text }}) = 'high' then 'high'
    when lower({{ text }}) in ('urgent', 'critical') then 'urgent'
  end
{%- endmacro %}

{% macro priority_expected() %}{{ return('low, normal (or medium), high or urgent (or critical)') }}{% endmacro %}
