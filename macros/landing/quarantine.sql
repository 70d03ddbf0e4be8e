{#- Cleaning landing text and the quarantine: reasons, raw values, thresholds. -#}

{#- Empty or blank text is missing. -#}
{% macro clean_text(column) -%}
  nullif(trim({{ column }}), '')
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

{#- The quarantine threshold ('warn' or 'error') of a source: var quarantine_thresholds, the
    source's own entry, else its `default` entry. -#}
{% macro quarantine_threshold(source_name, level) %}
  {%- set thresholds = var('quarantine_thresholds') -%}
  {%- set own = thresholds.get(source_name, {}) -%}
  {%- set value = own.get(level, thresholds.get('default', {}).get(level)) -%}
  {%- if value is none -%}
    {{ exceptions.raise_compiler_error("var quarantine_thresholds has no '" ~ level ~ "' share for " ~ source_name ~ " and no default: set e.g. quarantine_thresholds: {default: {warn: 0.01, error: 0.10}}") }}
  {%- endif -%}
  {{ return(value) }}
{% endmacro %}
