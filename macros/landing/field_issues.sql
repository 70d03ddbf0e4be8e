{#- Optional fields that cannot be read: the field is null, the row is kept, the problem is recorded
    (staging.stg_landing__field_issues). Only a bad required field quarantines a row. -#}

{#- The optional columns each source checks (a parse rule or a range), per source: the one list
    the base models' outputs and stg_landing__field_issues are generated from. The contract's
    other optional columns are free text (ids, names, types, areas): never an issue. A base
    model computes, for each column here, `<column>` (the value read), `<column>_text` (the text
    as it arrived, trimmed) and `_issue__<column>` (field_issue(): why it cannot be read, or null). -#}
{% macro landing_checked_columns() %}
  {{ return({
    'product_workspaces': ['instance_type', 'created_at'],
    'product_users': ['created_at'],
    'crm_accounts': ['parent_account_id', 'created_at', 'renewal_date'],
    'arr_monthly': ['licensed_seats'],
    'support_tickets': ['closed_at', 'priority', 'fix_shipped_at'],
    'csm_touchpoints': ['sentiment'],
    'cs_health_scores': ['renewal_risk'],
    'renewal_outcomes': ['arr_before', 'arr_after'],
  }) }}
{% endmacro %}

{#- Every check (condition, reason) of one field that holds, joined by '; ', or null. -#}
{% macro field_issue(checks) -%}
  nullif(concat_ws('; '
  {%- for condition, reason in checks -%}
    , case when {{ condition }} then '{{ reason }}' end
  {%- endfor -%}
  ), '')
{%- endmacro %}

{#- A base model's checked optional columns, for its final select: per column of
    landing_checked_columns(), the value (null when it has an issue), `_issue__<column>` and
    `_raw__<column>` (the text as it arrived, only where there is an issue). -#}
{% macro optional_field_columns(source_name) -%}
  {%- for column in landing_checked_columns().get(source_name, []) %}
    case when _issue__{{ column }} is null then {{ column }} end as {{ column }},
    _issue__{{ column }},
    case when _issue__{{ column }} is not null then {{ column }}_text end as _raw__{{ column }},
  {%- endfor %}
{%- endmacro %}
