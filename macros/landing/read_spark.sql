{#-
  The landing zone on Spark: the same contract and the same quarantine as on DuckDB
  (macros/landing/read_duckdb.sql), from plain Spark SQL so it runs in local mode, behind a Thrift server or
  on Databricks.

  Files are listed once per call through Spark's binaryFile source (path, size, modification time;
  the content is never read) and named as DuckDB names them, `<landing_dir>/<relative path>`, so
  `_landing_file` is the same string on both engines. A CSV file is read as text lines and split
  into fields by one regular expression (RFC 4180: quoted fields, doubled quotes), strictly by
  position: an empty field is '' and a missing one null, and a row with more or fewer fields than
  the header gets a `_landing_problem` instead of failing the read or being padded silently.
  Unlike DuckDB, a quoted field cannot span lines (each line is a row).
-#}

{#- Every landing file of the contract: a list of {source, file (as named in the models), path
    (what Spark reads), version, modified_at (UTC text), size}, sorted by file. [] while parsing. -#}
{% macro spark__landing_listing() %}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- do run_query("create or replace temporary view usage_health_landing_listing using binaryFile options (path '" ~ landing_dir() ~ "', recursiveFileLookup 'true', pathGlobFilter '*.{csv,parquet}')") -%}
  {%- set listed = run_query("select path, cast(length as string), cast(unix_millis(modificationTime) as string), date_format(modificationTime, 'yyyy-MM-dd HH:mm:ss.SSS') from usage_health_landing_listing").rows -%}
  {#- A contract file is <root>/<source>.csv|.parquet or <root>/<source>/<part>.csv|.parquet (the
      source's name, or the export's its column mapping names); the root is the landing folder,
      the shortest such prefix (deeper look-alikes are not read). -#}
  {%- set matches = [] -%}
  {%- set stems = landing_file_stems() -%}
  {%- for row in listed -%}
    {%- set path = row[0] -%}
    {%- for source_name in landing_contract() -%}
      {%- set m = modules.re.match('^(.*)/(' ~ modules.re.escape(stems[source_name]) ~ '(\\.csv|\\.parquet|/[^/]+\\.csv|/[^/]+\\.parquet))$', path) -%}
      {%- if m -%}
        {%- do matches.append({'root': m.group(1), 'relative': m.group(2), 'source': source_name, 'path': path,
                               'version': row[1] ~ '@' ~ row[2], 'modified_at': row[3], 'size': row[1]}) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- if matches | length == 0 -%}{{ return([]) }}{%- endif -%}
  {%- set shortest = namespace(root=matches[0].root) -%}
  {%- for match in matches if match.root | length < shortest.root | length -%}{%- set shortest.root = match.root -%}{%- endfor -%}
  {%- set files = [] -%}
  {%- for match in matches if match.root == shortest.root -%}
    {%- do match.update({'file': landing_dir() ~ '/' ~ match.relative}) -%}
    {%- do files.append(match) -%}
  {%- endfor -%}
  {{ return(files | sort(attribute='file')) }}
{% endmacro %}

{% macro spark__landing_files_of(source_name) %}
  {{ return(spark__landing_listing() | selectattr('source', 'equalto', source_name) | list) }}
{% endmacro %}


{% macro spark__landing_file_versions(source_name) %}
  {%- set versions = {} -%}
  {%- for f in spark__landing_files_of(source_name) -%}{%- do versions.update({f.file: f.version}) -%}{%- endfor -%}
  {{ return(versions) }}
{% endmacro %}


{% macro spark__landing_files_select(source_names) %}
  {%- set files = spark__landing_listing() | selectattr('source', 'in', source_names) | list -%}
  {%- if files | length == 0 -%}
    {{ return("select cast(null as string) as source_name, cast(null as string) as landing_file, cast(null as timestamp) as file_modified_at, cast(null as bigint) as size_bytes where 1 = 0") }}
  {%- endif -%}
  {%- set parts = [] -%}
  {%- for f in files -%}
    {%- do parts.append("select '" ~ f.source ~ "' as source_name, '" ~ f.file ~ "' as landing_file, cast('" ~ f.modified_at ~ "' as timestamp) as file_modified_at, cast(" ~ f.size ~ " as bigint) as size_bytes") -%}
  {%- endfor -%}
  {{ return(parts | join('\n    union all\n    ')) }}
{% endmacro %}


{% macro spark__check_landing_dir() %}
  {%- if spark__landing_listing() | length == 0 -%}
    {{ exceptions.raise_compiler_error(landing_dir_empty_message()) }}
  {%- endif -%}
{% endmacro %}


{% macro spark__landing_source(source_name, files=none) %}
  {%- set contract = landing_contract()[source_name] -%}
  {%- set columns = contract.required + contract.optional -%}
  {%- if not execute -%}
    {{ return(landing_empty_select(columns)) }}
  {%- endif -%}
  {%- set listed = spark__landing_files_of(source_name) -%}
  {%- if files is not none -%}
    {%- set listed = listed | selectattr('file', 'in', files) | list -%}
  {%- endif -%}
  {%- if listed | length == 0 -%}
    {{ return(landing_empty_select(columns)) }}
  {%- endif -%}
  {%- set mapping = landing_mappings().get(source_name) -%}
  {%- set parts = [] -%}
  {%- for f in listed -%}
    {%- if f.file.endswith('.csv') -%}
      {%- set header_line = run_query("select value from text.`" ~ f.path ~ "` limit 1").columns[0].values() | list -%}
      {%- set header_line = header_line[0] if header_line | length > 0 else '' -%}
      {%- set header = [] -%}
      {%- for name in header_line.split(',') -%}{%- do header.append(name.strip().strip('"')) -%}{%- endfor -%}
    {%- else -%}
      {%- set header = run_query("select * from parquet.`" ~ f.path ~ "` limit 0").column_names | list -%}
    {%- endif -%}
    {%- do landing_check_required_columns(source_name, f.file, header, mapping) -%}
    {%- set plan = landing_read_plan(source_name, header, mapping) -%}
    {%- if f.file.endswith('.csv') -%}
      {%- do parts.append(landing_mapped_select(plan, spark__landing_csv_select(f, header_line, header, plan))) -%}
    {%- else -%}
      {%- set inner -%}
      select
        {%- for c in header %}
        cast({{ adapter.quote(c) }} as string) as {{ adapter.quote(c) }},
        {%- endfor %}
        {{- landing_null_columns(plan) }}
        '{{ f.file }}' as _landing_file,
        cast(null as string) as _landing_problem
      from parquet.`{{ f.path }}`
      {%- endset -%}
      {%- do parts.append(landing_mapped_select(plan, inner)) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(parts | join('\n    union all\n')) }}
{% endmacro %}


{#- One CSV file: its lines but the header, each split into raw fields (quotes kept), then each
    field unquoted by position, under its header's name (landing_mapped_select renames them). -#}
{% macro spark__landing_csv_select(f, header_line, header, plan) -%}
  {%- set n = header | length -%}
  select
    {%- for c in header %}
    {{ spark__csv_unquote('try_element_at(_fields, ' ~ loop.index ~ ')') }} as {{ adapter.quote(c) }},
    {%- endfor %}
    {{- landing_null_columns(plan) }}
    '{{ f.file }}' as _landing_file,
    case
      when size(_fields) > {{ n }}
        then concat('row has more fields than the header (extra values: ', array_join(transform(slice(_fields, {{ n + 1 }}, size(_fields) - {{ n }}), x -> {{ spark__csv_unquote('x') }}), ' | '), ')')
      when size(_fields) < {{ n }}
        then 'row has fewer fields than the header'
    end as _landing_problem
  from (
    select regexp_extract_all(concat(',', value), ',("(?:[^"]|"")*"|[^,"]*)', 1) as _fields
    from text.`{{ f.path }}`
    where value != '{{ header_line | replace("\\", "\\\\") | replace("'", "\\'") }}' and value != ''
  ) as lines
{%- endmacro %}

{% macro spark__csv_unquote(field) -%}
  case when startswith({{ field }}, '"') then replace(substr({{ field }}, 2, length({{ field }}) - 2), '""', '"') else {{ field }} end
{%- endmacro %}


{#- A text file's content (a column mapping's YAML), read whole through binaryFile. -#}
{% macro spark__landing_read_text(path) %}
  {{ return(run_query("select cast(content as string) from binaryFile.`" ~ path ~ "`").columns[0].values()[0]) }}
{% endmacro %}
