{#-
  The landing zone: raw files read in place by `dbt build`, with no load step.
  A source is `<landing_dir>/<source>.csv`, `<source>.parquet`, or parts `<source>/*.csv|*.parquet`.
  `landing_source(name)` renders a select of every contract column as text (missing optional
  columns as null; extra columns ignored) plus `_landing_file`. A file missing a required column
  stops the build with a message naming the file and the column; a source with no file is empty.
-#}

{% macro landing_contract() %}
  {#- Per source: required and optional columns, the base view and staging model that read it,
      its key (duplicates are counted on it), the column that dates its records, and whether
      it records activity (its newest record says how fresh it is). -#}
  {{ return({
    'product_events': {'required': ['event_id', 'occurred_at', 'workspace_id', 'user_id', 'event_name'], 'optional': ['session_id'],
                       'base': 'base_product_events', 'staging': 'stg_product__events', 'key': "event_id", 'record_time': 'occurred_at', 'activity': true},
    'product_workspaces': {'required': ['workspace_id'], 'optional': ['crm_account_id', 'subscription_id', 'instance_type', 'created_at'],
                           'base': 'base_product_workspaces', 'staging': 'stg_product__workspaces', 'key': "workspace_id", 'record_time': 'created_at'},
    'product_users': {'required': ['user_id', 'workspace_id'], 'optional': ['email', 'created_at'],
                      'base': 'base_product_users', 'staging': 'stg_product__users', 'key': "user_id || '|' || workspace_id", 'record_time': 'created_at'},
    'crm_accounts': {'required': ['account_id', 'account_name', 'segment'], 'optional': ['parent_account_id', 'csm_owner', 'email_domain', 'created_at', 'renewal_date'],
                     'base': 'base_crm_accounts', 'staging': 'stg_crm__accounts', 'key': "account_id", 'record_time': 'created_at'},
    'arr_monthly': {'required': ['account_id', 'month', 'arr'], 'optional': ['licensed_seats', 'subscription_id'],
                    'base': 'base_arr_monthly', 'staging': 'stg_crm__arr_monthly', 'key': "account_id || '|' || cast(month_start as string) || '|' || coalesce(subscription_id, '')", 'record_time': 'month_start'},
    'nps_responses': {'required': ['response_id', 'account_id', 'responded_at', 'score'], 'optional': [],
                      'base': 'base_nps_responses', 'staging': 'stg_crm__nps_responses', 'key': "response_id", 'record_time': 'responded_at', 'activity': true},
    'support_tickets': {'required': ['ticket_id', 'account_id', 'opened_at'], 'optional': ['closed_at', 'priority', 'product_area', 'fix_shipped_at'],
                        'base': 'base_support_tickets', 'staging': 'stg_crm__support_tickets', 'key': "ticket_id", 'record_time': 'opened_at', 'activity': true},
    'csm_touchpoints': {'required': ['touchpoint_id', 'account_id', 'occurred_at'], 'optional': ['touchpoint_type', 'sentiment'],
                        'base': 'base_csm_touchpoints', 'staging': 'stg_crm__csm_touchpoints', 'key': "touchpoint_id", 'record_time': 'occurred_at', 'activity': true},
    'cs_health_scores': {'required': ['account_id', 'scored_at', 'health_score'], 'optional': ['renewal_risk'],
                         'base': 'base_cs_health_scores', 'staging': 'stg_crm__cs_health_scores', 'key': "account_id || '|' || cast(scored_at as string)", 'record_time': 'scored_at', 'activity': true},
    'renewal_outcomes': {'required': ['account_id', 'renewal_date', 'outcome'], 'optional': ['arr_before', 'arr_after'],
                         'base': 'base_renewal_outcomes', 'staging': 'stg_crm__renewal_outcomes', 'key': "account_id || '|' || cast(renewal_date as string)", 'record_time': 'renewal_date'},
  }) }}
{% endmacro %}


{% macro landing_dir() %}
  {%- set d = var('landing_dir') | string | trim -%}
  {{ return(d[:-1] if d.endswith('/') else d) }}
{% endmacro %}


{#- `files`: read only these landing files of the source (an incremental run's new files); none:
    every file. -#}
{% macro landing_source(source_name, files=none) %}
  {%- if source_name not in landing_contract() -%}
    {{ exceptions.raise_compiler_error("landing_source: '" ~ source_name ~ "' is not a source of the input contract (macros/landing.sql).") }}
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
  {%- set parts = [] -%}
  {%- set parquet_files = [] -%}
  {%- set parquet_present = [] -%}
  {%- for f in files -%}
    {%- set kind = 'csv' if f.endswith('.csv') else 'parquet' -%}
    {%- set sniffed = run_query('describe select * from ' ~ duckdb__landing_sniffer(kind, f)).columns[0].values() | list -%}
    {#- DuckDB names fields beyond the header column<N>: those are not header columns -#}
    {%- set header = [] -%}
    {%- set overflow = [] -%}
    {%- for c in sniffed -%}
      {%- if modules.re.match('^column[0-9]+$', c) -%}{%- do overflow.append(c) -%}{%- else -%}{%- do header.append(c) -%}{%- endif -%}
    {%- endfor -%}
    {%- do landing_check_required_columns(source_name, f, contract.required, header) -%}
    {%- if kind == 'parquet' -%}
      {%- do parquet_files.append(f) -%}
      {%- for c in header if c in columns and c not in parquet_present -%}{%- do parquet_present.append(c) -%}{%- endfor -%}
    {%- else -%}
      {%- do parts.append(duckdb__landing_csv_select(f, sniffed, header, overflow, columns)) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if parquet_files | length > 0 -%}
    {%- set part -%}
      select
        {%- for column in columns %}
        {% if column in parquet_present %}cast({{ adapter.quote(column) }} as {{ dbt.type_string() }}){% else %}cast(null as {{ dbt.type_string() }}){% endif %} as {{ column }},
        {%- endfor %}
        _landing_file,
        cast(null as {{ dbt.type_string() }}) as _landing_problem
      from read_parquet([{% for f in parquet_files %}'{{ f }}'{% if not loop.last %}, {% endif %}{% endfor %}], union_by_name = true, filename = '_landing_file')
    {%- endset -%}
    {%- do parts.append(part) -%}
  {%- endif -%}
  {{ return(parts | join('\n    union all\n')) }}
{% endmacro %}


{#- The landing files of a source, sorted by name (at execution; [] while parsing). -#}
{% macro duckdb__landing_file_list(source_name) %}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set base = landing_dir() ~ '/' ~ source_name -%}
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


{#- One row per landing file of every source: source_name, landing_file, file_modified_at (UTC, to
    the millisecond, as far as every file system and Spark go), size_bytes. The load time dbt source freshness checks. -#}
{% macro landing_files_select() %}
  {{ return(adapter.dispatch('landing_files_select', 'usage_health')()) }}
{% endmacro %}

{% macro duckdb__landing_files_select() %}
  {%- set parts = [] -%}
  {%- for source_name in landing_contract() -%}
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


{#- How a file's header is read: DuckDB's sniffer, forced to a header row and commas. -#}
{% macro duckdb__landing_sniffer(kind, file) -%}
  {%- if kind == 'csv' -%}
    read_csv('{{ file }}', header = true, delim = ',', quote = '"', all_varchar = true, null_padding = true)
  {%- else -%}
    read_parquet('{{ file }}')
  {%- endif -%}
{%- endmacro %}


{#- One CSV file read strictly by position: its header's columns plus spare columns, so a row
    with more fields than the header fills a spare column and a row with fewer leaves its last
    header column null (empty fields read as '', never null). Both become `_landing_problem`,
    a quarantine reason, instead of failing the read or vanishing. -#}
{% macro duckdb__landing_csv_select(file, sniffed, header, overflow, columns) -%}
  {%- set spare = ['_extra_field_1', '_extra_field_2', '_extra_field_3', '_extra_field_4'] -%}
  {%- set extras = overflow + spare -%}
  select
    {%- for column in columns %}
    {% if column in header %}{{ adapter.quote(column) }}{% else %}cast(null as {{ dbt.type_string() }}){% endif %} as {{ column }},
    {%- endfor %}
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

{#- A string no export contains: empty CSV fields read as '' and missing fields as null. -#}
{% macro landing_null_sentinel() %}{{ return('~usage_health:missing_field~') }}{% endmacro %}


{#- on-run-start: a landing folder holding no file of the input contract is a mistake (a wrong
    path, an export that did not arrive), not an empty warehouse. Stop with a message saying so. -#}
{% macro check_landing_dir() %}
  {%- if execute and flags.WHICH in ('build', 'run', 'seed', 'test') -%}
    {{ return(adapter.dispatch('check_landing_dir', 'usage_health')()) }}
  {%- endif -%}
{% endmacro %}

{% macro landing_dir_empty_message() %}
  {{ return("The landing folder '" ~ landing_dir() ~ "' holds no file of the input contract (expected files such as product_events.csv, crm_accounts.csv or product_events/*.parquet). Check the landing_dir var (--vars '{landing_dir: DIR}') or $USAGE_HEALTH_LANDING, or run `make demo-data` for the demo files.") }}
{% endmacro %}

{#- A landing file must hold every required column of its source: stop naming the file and column. -#}
{% macro landing_check_required_columns(source_name, file, required_columns, header) %}
  {%- for required in required_columns -%}
    {%- if required not in header -%}
      {{ exceptions.raise_compiler_error("Landing file " ~ file ~ " (source " ~ source_name ~ ") is missing the required column '" ~ required ~ "'. Columns found: " ~ (header | join(', ')) ~ ". Add the column (or rename the one that holds it) and rebuild.") }}
    {%- endif -%}
  {%- endfor -%}
{% endmacro %}

{% macro duckdb__check_landing_dir() %}
  {%- set patterns = [] -%}
  {%- for source_name in landing_contract() -%}
    {%- for pattern in ['.csv', '.parquet', '/*.csv', '/*.parquet'] -%}
      {%- do patterns.append("select file from glob('" ~ landing_dir() ~ "/" ~ source_name ~ pattern ~ "')") -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- set found = run_query('select count(*) from (' ~ (patterns | join(' union all ')) ~ ')').columns[0].values()[0] -%}
  {%- if found == 0 -%}
    {{ exceptions.raise_compiler_error(landing_dir_empty_message()) }}
  {%- endif -%}
{% endmacro %}


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
