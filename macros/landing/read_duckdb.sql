{#- Reading landing files on DuckDB: CSV strictly by position, Parquet as is; every column as text
    under its own name, renamed by the source's column mapping (macros/landing/mappings.sql). -#}

{% macro duckdb__landing_source(source_name, files=none) %}
  {%- set contract = landing_contract()[source_name] -%}
  {%- set columns = contract.required + contract.optional -%}
  {%- if not execute -%}
    {{ return(landing_empty_select(columns)) }}
  {%- endif -%}
  {%- if files is none -%}
    {%- set files = duckdb__landing_file_list(source_name) -%}
  {%- endif -%}
  {%- if files | length == 0 -%}
    {{ return(landing_empty_select(columns)) }}
  {%- endif -%}
  {%- set mapping = landing_mappings().get(source_name) -%}
  {%- set parts = [] -%}
  {%- set parquet_files = [] -%}
  {%- set parquet_header = [] -%}
  {%- for f in files -%}
    {%- set kind = 'csv' if f.endswith('.csv') else 'parquet' -%}
    {%- set file_columns = duckdb__landing_file_columns(f) -%}
    {%- set sniffed, header, overflow = file_columns.sniffed, file_columns.header, file_columns.overflow -%}
    {%- do landing_check_required_columns(source_name, f, header, mapping) -%}
    {%- if kind == 'parquet' -%}
      {%- do parquet_files.append(f) -%}
      {%- for c in header if c not in parquet_header -%}{%- do parquet_header.append(c) -%}{%- endfor -%}
    {%- else -%}
      {%- set plan = landing_read_plan(source_name, header, mapping) -%}
      {%- do parts.append(landing_mapped_select(plan, duckdb__landing_csv_select(f, sniffed, header, overflow, plan))) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if parquet_files | length > 0 -%}
    {%- set plan = landing_read_plan(source_name, parquet_header, mapping) -%}
    {%- set inner -%}
      select
        {%- for c in parquet_header %}
        cast({{ adapter.quote(c) }} as {{ dbt.type_string() }}) as {{ adapter.quote(c) }},
        {%- endfor %}
        {{- landing_null_columns(plan) }}
        _landing_file,
        cast(null as {{ dbt.type_string() }}) as _landing_problem
      from read_parquet([{% for f in parquet_files %}'{{ f }}'{% if not loop.last %}, {% endif %}{% endfor %}], union_by_name = true, filename = '_landing_file')
    {%- endset -%}
    {%- do parts.append(landing_mapped_select(plan, inner)) -%}
  {%- endif -%}
  {{ return(parts | join('\n    union all\n')) }}
{% endmacro %}

{#- A landing file's columns as the reader sees them: {sniffed: every column DuckDB's sniffer
    gives, header: the header row's names, overflow: the column<N> names DuckDB gives fields beyond
    the header (not header columns)}. The preflight (macros/landing/preflight.sql) reads headers
    with it too. -#}
{% macro duckdb__landing_file_columns(file) %}
  {%- set kind = 'csv' if file.endswith('.csv') else 'parquet' -%}
  {%- set sniffed = run_query('describe select * from ' ~ duckdb__landing_sniffer(kind, file)).columns[0].values() | list -%}
  {%- set header = [] -%}
  {%- set overflow = [] -%}
  {%- for c in sniffed -%}
    {%- if modules.re.match('^column[0-9]+$', c) -%}{%- do overflow.append(c) -%}{%- else -%}{%- do header.append(c) -%}{%- endif -%}
  {%- endfor -%}
  {{ return({'sniffed': sniffed, 'header': header, 'overflow': overflow}) }}
{% endmacro %}

{#- How a file's header is read: DuckDB's sniffer, forced to a header row and commas. -#}
{% macro duckdb__landing_sniffer(kind, file) -%}
  {%- if kind == 'csv' -%}
    read_csv('{{ file }}', header = true, delim = ',', quote = '"', all_varchar = true, null_padding = true)
  {%- else -%}
    read_parquet('{{ file }}')
  {%- endif -%}
{%- endmacro %}

{#- One CSV file read strictly by position: its header's columns (as text, under their own names;
    landing_mapped_select renames them) plus spare columns, so a row with more fields than the
    header fills a spare column and a row with fewer leaves its last header column null (empty
    fields read as '', never null). Both become `_landing_problem`, a quarantine reason, instead of
    failing the read or vanishing. -#}
{% macro duckdb__landing_csv_select(file, sniffed, header, overflow, plan) -%}
  {%- set spare = ['_extra_field_1', '_extra_field_2', '_extra_field_3', '_extra_field_4'] -%}
  {%- set extras = overflow + spare -%}
  select
    {%- for c in header %}
    {{ adapter.quote(c) }},
    {%- endfor %}
    {{- landing_null_columns(plan) }}
    _landing_file,
    case
      when coalesce({{ extras | join(', ') }}) is not null
        then 'row has more fields than the header (extra values: ' || concat_ws(' | ', {{ extras | join(', ') }}) || ')'
      when {{ adapter.quote(header[-1]) }} is null
        then 'row has fewer fields than the header'
    end as _landing_problem
  from read_csv(
    '{{ file }}', auto_detect = false, header = true, delim = ',', quote = '"', escape = '"',
    null_padding = true, nullstr = '{{ landing_null_sentinel() }}', filename = '_landing_file',
    columns = { {%- for c in sniffed %}'{{ c }}': 'VARCHAR', {% endfor %}{%- for c in spare %}'{{ c }}': 'VARCHAR'{% if not loop.last %}, {% endif %}{% endfor -%} }
  )
{%- endmacro %}

{#- A text file's content (a column mapping's YAML), none when there is no such file. -#}
{% macro duckdb__landing_read_text(path) %}
  {%- if run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] == 0 -%}
    {{ return(none) }}
  {%- endif -%}
  {{ return(run_query("select content from read_text('" ~ path ~ "')").columns[0].values()[0]) }}
{% endmacro %}
