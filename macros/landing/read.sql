{#- Reading a landing source: the entry point the base models call, engine-independent parts. -#}

{#- The rows of a landing source, from `source('landing', <name>)` (the call that puts the files in
    the lineage). `files`: read only these landing files of the source (an incremental run's new
    files); none: every file. -#}
{% macro landing_source(landing_relation, files=none) %}
  {%- if not execute -%}
    {#- while parsing, source() returns a placeholder: there is nothing to read yet -#}
    {{ return(landing_empty_select([])) }}
  {%- endif -%}
  {%- set source_name = landing_relation.identifier -%}
  {%- if source_name not in landing_contract() -%}
    {{ exceptions.raise_compiler_error("landing_source: '" ~ source_name ~ "' is not a source of the input contract (macros/landing/contract.sql).") }}
  {%- endif -%}
  {{ return(adapter.dispatch('landing_source', 'usage_health')(source_name, files)) }}
{% endmacro %}

{% macro landing_empty_select(columns) -%}
  select
    {%- for column in columns %}
    cast(null as {{ dbt.type_string() }}) as {{ column }},
    {%- endfor %}
    cast(null as {{ dbt.type_string() }}) as _landing_file,
    cast(null as {{ dbt.type_string() }}) as _landing_problem
  where 1 = 0
{%- endmacro %}

{#- A string no export contains: empty CSV fields read as '' and missing fields as null. -#}
{% macro landing_null_sentinel() %}{{ return('~usage_health:missing_field~') }}{% endmacro %}
