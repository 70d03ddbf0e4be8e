{#- product_workspaces.instance_type, case-insensitive, '-' and ' ' read as '_':
      production       production, prod
      non_production   non_production, nonproduction, non_prod, nonprod, sandbox, staging, test, dev, development
      obsolete         obsolete, archived, deprecated, decommissioned
      unknown          unknown
    Text; null when the text is missing (staging reads that as unknown) or none of these. -#}
{% macro parse_instance_type(text) -%}
  {%- set value = "replace(replace(lower(" ~ text ~ "), '-', '_'), ' ', '_')" -%}
  case
    when {{ value }} in ('production', 'prod') then 'production'
    when {{ value }} in ('non_production', 'nonproduction', 'non_prod', 'nonprod', 'sandbox', 'staging', 'test', 'dev', 'development') then 'non_production'
    when {{ value }} in ('obsolete', 'archived', 'deprecated', 'decommissioned') then 'obsolete'
    when {{ value }} = 'unknown' then 'unknown'
  end
{%- endmacro %}

{% macro instance_type_expected() %}{{ return('production, non_production, obsolete or unknown (or prod, sandbox, staging, test, dev, archived, deprecated)') }}{% endmacro %}
