{#-
  The preflight's file and column part (scripts/preflight.py, `make check`): what a landing folder
  holds against the input contract, read with the build's own macros, before any build.

  `dbt run-operation preflight_landing` prints one line, `preflight_landing: <JSON>`: per source of
  the contract (landing_contract()) the files the build would read (landing_file_stems(): the
  source's name or its column mapping's `file`), and per file its header as the reader sees it
  (duckdb__landing_file_columns), the messages a file stops the build with
  (landing_missing_columns: the same text as the build's), where each contract column comes from
  (landing_column_reads), and the header columns nothing reads. With it, what the script needs to
  judge the rest against: each source's quarantine thresholds (quarantine_threshold), the
  unresolved-event and freshness vars, the message the build stops with when the folder holds no
  contract file, and the files the shipped mappings read, to suggest one. A column mapping that is
  not valid stops this operation with the build's message, as it would stop the build.
-#}

{% macro preflight_landing() %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- if target.type != 'duckdb' -%}
    {{ exceptions.raise_compiler_error("preflight_landing reads the landing folder on DuckDB: run it with --target duckdb (it builds nothing there).") }}
  {%- endif -%}
  {%- set contract = landing_contract() -%}
  {%- set mappings = landing_mappings() -%}
  {%- set stems = landing_file_stems() -%}
  {%- set sources = {} -%}
  {%- set file_count = [] -%}
  {%- for source_name, spec in contract.items() -%}
    {%- set mapping = mappings.get(source_name) -%}
    {%- set files = [] -%}
    {%- for f in duckdb__landing_file_list(source_name) -%}
      {%- do file_count.append(f) -%}
      {%- set header = duckdb__landing_file_columns(f).header -%}
      {%- do files.append(preflight_file(source_name, f, header, mapping)) -%}
    {%- endfor -%}
    {%- do sources.update({source_name: {
          'stem': stems[source_name],
          'mapping': mapping.label if mapping else none,
          'required': spec.required,
          'optional': spec.optional,
          'base': spec.base,
          'staging': spec.staging,
          'record_time': spec.get('record_time'),
          'activity': spec.get('activity', false),
          'configuration': spec.get('configuration', false),
          'quarantine_warn_share': quarantine_threshold(source_name, 'warn'),
          'quarantine_error_share': quarantine_threshold(source_name, 'error'),
          'files': files,
        }}) -%}
  {%- endfor -%}
  {#- the files the shipped mappings read, {mapping: {source: file stem}}, to suggest one -#}
  {%- set shipped = {} -%}
  {%- for name in landing_shipped_mappings() -%}
    {%- set reads = {} -%}
    {%- for source_name, spec in landing_mapping_load(name)[1].sources.items() -%}
      {%- do reads.update({source_name: landing_mapping_file_stem(source_name, spec)}) -%}
    {%- endfor -%}
    {%- do shipped.update({name: reads}) -%}
  {%- endfor -%}
  {%- set report = {
        'landing_dir': landing_dir(),
        'mappings': landing_mapping_items() | map('string') | list,
        'empty_message': landing_dir_empty_message() if file_count | length == 0 else none,
        'sources': sources,
        'landing_entries': preflight_landing_entries(),
        'shipped_mappings': shipped,
        'quarantine_thresholds': var('quarantine_thresholds'),
        'unresolved_events_warn_share': var('unresolved_events_warn_share'),
        'unresolved_events_error_share': var('unresolved_events_error_share'),
        'freshness_error_days': var('freshness_error_days'),
        'as_of': var('as_of') | string | trim,
      } -%}
  {{ print('preflight_landing: ' ~ tojson(report)) }}
{% endmacro %}

{#- One landing file against its source's contract: {file, header, stops: the build's messages for
    it, columns: per contract column {from: the file's column or 'expression', found, missing_reads:
    the columns an expression reads that the file lacks}, ignored: header columns nothing reads}. -#}
{% macro preflight_file(source_name, file, header, mapping) %}
  {%- set used = [] -%}
  {%- set columns = {} -%}
  {%- for column, read in landing_column_reads(source_name, header, mapping).items() -%}
    {%- if read.entry is none -%}
      {%- if read.found is not none -%}{%- do used.append(read.found | lower) -%}{%- endif -%}
      {%- do columns.update({column: {'from': read.wanted, 'found': read.found is not none, 'missing_reads': []}}) -%}
    {%- else -%}
      {%- set missing = [] -%}
      {%- for name in read.entry.reads + read.entry.reads_optional -%}
        {%- set found = landing_header_lookup(header, name) -%}
        {%- if found is not none -%}{%- do used.append(found | lower) -%}
        {%- elif name in read.entry.reads -%}{%- do missing.append(name) -%}{%- endif -%}
      {%- endfor -%}
      {%- do columns.update({column: {'from': 'expression', 'found': missing | length == 0, 'missing_reads': missing}}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if mapping and mapping.where -%}
    {%- for name in mapping.where.reads + mapping.where.reads_optional -%}
      {%- set found = landing_header_lookup(header, name) -%}
      {%- if found is not none -%}{%- do used.append(found | lower) -%}{%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  {%- set ignored = [] -%}
  {%- for name in header if name | lower not in used -%}{%- do ignored.append(name) -%}{%- endfor -%}
  {{ return({
    'file': file,
    'header': header,
    'stops': landing_missing_columns(source_name, header, mapping),
    'columns': columns,
    'ignored': ignored,
  }) }}
{% endmacro %}

{#- The landing folder's files and part folders, [{name, path}] (name without .csv / .parquet): the
    script names those no source reads when a shipped mapping or a source would read them under
    that name. -#}
{% macro preflight_landing_entries() %}
  {%- set listing -%}
    select file from glob('{{ landing_dir() }}/*.csv')
    union all select file from glob('{{ landing_dir() }}/*.parquet')
    union all select file from glob('{{ landing_dir() }}/*/*.csv')
    union all select file from glob('{{ landing_dir() }}/*/*.parquet')
    order by file
  {%- endset -%}
  {%- set entries = [] -%}
  {%- set seen = [] -%}
  {%- set prefix = landing_dir() ~ '/' -%}
  {%- for path in run_query(listing).columns[0].values() -%}
    {%- set relative = path[prefix | length:] if path.startswith(prefix) else path -%}
    {%- set top = relative.split('/')[0] -%}
    {%- set name = modules.re.sub('[.](csv|parquet)$', '', top) -%}
    {%- if top not in seen -%}
      {%- do seen.append(top) -%}
      {%- do entries.append({'name': name, 'path': prefix ~ top}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(entries) }}
{% endmacro %}
