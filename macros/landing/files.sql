{#- Listing landing files and their versions (size and modification time). -#}

{#- The landing files of a source, sorted by name (at execution; [] while parsing): named for the
    source, or for the export its column mapping reads (`file`). -#}
{% macro duckdb__landing_file_list(source_name) %}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set base = landing_dir() ~ '/' ~ landing_file_stems()[source_name] -%}
  {%- set listing -%}
    select file from glob('{{ base }}.csv')
    union all select file from glob('{{ base }}.parquet')
    union all select file from glob('{{ base }}/*.csv')
    union all select file from glob('{{ base }}/*.parquet')
    order by file
  {%- endset -%}
  {{ return(run_query(listing).columns[0].values() | list) }}
{% endmacro %}

{#- The landing files of a source with a version each (size and modification time): a file that
    is rewritten gets a new version. {file: version}, {} while parsing. -#}
{% macro landing_file_versions(source_name) %}
  {{ return(adapter.dispatch('landing_file_versions', 'usage_health')(source_name)) }}
{% endmacro %}

{% macro duckdb__landing_file_versions(source_name) %}
  {%- set files = duckdb__landing_file_list(source_name) -%}
  {%- if files | length == 0 -%}{{ return({}) }}{%- endif -%}
  {%- set listing -%}
    select filename, cast(size as varchar) || '@' || cast(epoch_ms(last_modified) as varchar)
    from read_blob([{% for f in files %}'{{ f }}'{% if not loop.last %}, {% endif %}{% endfor %}])
  {%- endset -%}
  {%- set versions = {} -%}
  {%- for row in run_query(listing).rows -%}{%- do versions.update({row[0]: row[1]}) -%}{%- endfor -%}
  {{ return(versions) }}
{% endmacro %}

{#- The versions as a relation (_landing_file, _landing_file_version), to join onto landing rows. -#}
{% macro landing_file_versions_select(versions) -%}
  {%- if versions | length == 0 -%}
    select cast(null as {{ dbt.type_string() }}) as _landing_file, cast(null as {{ dbt.type_string() }}) as _landing_file_version where 1 = 0
  {%- else -%}
    {%- for file, version in versions.items() %}
    select '{{ file }}' as _landing_file, '{{ version }}' as _landing_file_version{% if not loop.last %} union all{% endif %}
    {%- endfor %}
  {%- endif -%}
{%- endmacro %}

{#- One row per landing file of the given sources (`source('landing', <name>)` relations):
    source_name, landing_file, file_modified_at (UTC, to the millisecond, as far as every file
    system and Spark go), size_bytes. The load time dbt source freshness checks. -#}
{% macro landing_files_select(landing_relations) %}
  {%- if not execute -%}
    {{ return(adapter.dispatch('landing_files_select', 'usage_health')([])) }}
  {%- endif -%}
  {{ return(adapter.dispatch('landing_files_select', 'usage_health')(landing_relations | map(attribute='identifier') | list)) }}
{% endmacro %}

{% macro duckdb__landing_files_select(source_names) %}
  {%- set parts = [] -%}
  {%- for source_name in source_names -%}
    {%- set files = duckdb__landing_file_list(source_name) -%}
    {%- if files | length > 0 -%}
      {%- set part -%}
    select
        '{{ source_name }}' as source_name,
        filename as landing_file,
        date_trunc('millisecond', timezone('UTC', last_modified)) as file_modified_at,
        size as size_bytes
    from read_blob([{% for f in files %}'{{ f }}'{% if not loop.last %}, {% endif %}{% endfor %}])
      {%- endset -%}
      {%- do parts.append(part) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if parts | length == 0 -%}
    {{ return("select cast(null as varchar) as source_name, cast(null as varchar) as landing_file, cast(null as timestamp) as file_modified_at, cast(null as bigint) as size_bytes where 1 = 0") }}
  {%- endif -%}
  {{ return(parts | join('\n    union all\n')) }}
{% endmacro %}
