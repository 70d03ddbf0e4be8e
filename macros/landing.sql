{#-
  The landing zone: raw files read in place by `dbt build`, with no load step.
  A source is `<landing_dir>/<source>.csv`, `<source>.parquet`, or parts `<source>/*.csv|*.parquet`.
  `landing_source(name)` renders a select of every contract column as text (missing optional
  columns as null; extra columns ignored) plus `_landing_file`. A file missing a required column
  stops the build with a message naming the file and the column; a source with no file is empty.
-#}

{% macro landing_contract() %}
  {{ return({
    'product_events': {'required': ['event_id', 'occurred_at', 'workspace_id', 'user_id', 'event_name'], 'optional': ['session_id']},
    'product_workspaces': {'required': ['workspace_id'], 'optional': ['crm_account_id', 'subscription_id', 'instance_type', 'created_at']},
    'product_users': {'required': ['user_id', 'workspace_id'], 'optional': ['email', 'created_at']},
    'crm_accounts': {'required': ['account_id', 'account_name', 'segment'], 'optional': ['parent_account_id', 'csm_owner', 'email_domain', 'created_at', 'renewal_date']},
    'arr_monthly': {'required': ['account_id', 'month', 'arr'], 'optional': ['licensed_seats', 'subscription_id']},
    'nps_responses': {'required': ['response_id', 'account_id', 'responded_at', 'score'], 'optional': []},
    'support_tickets': {'required': ['ticket_id', 'account_id', 'opened_at'], 'optional': ['closed_at', 'priority', 'product_area', 'fix_shipped_at']},
    'csm_touchpoints': {'required': ['touchpoint_id', 'account_id', 'occurred_at'], 'optional': ['touchpoint_type', 'sentiment']},
    'cs_health_scores': {'required': ['account_id', 'scored_at', 'health_score'], 'optional': ['renewal_risk']},
    'renewal_outcomes': {'required': ['account_id', 'renewal_date', 'outcome'], 'optional': ['arr_before', 'arr_after']},
  }) }}
{% endmacro %}


{% macro landing_dir() %}
  {%- set d = var('landing_dir') | string | trim -%}
  {{ return(d[:-1] if d.endswith('/') else d) }}
{% endmacro %}


{% macro landing_source(source_name) %}
  {%- if source_name not in landing_contract() -%}
    {{ exceptions.raise_compiler_error("landing_source: '" ~ source_name ~ "' is not a source of the input contract (macros/landing.sql).") }}
  {%- endif -%}
  {{ return(adapter.dispatch('landing_source', 'usage_health')(source_name)) }}
{% endmacro %}


{% macro landing_empty_select(columns) -%}
  select
    {%- for column in columns %}
    cast(null as {{ dbt.type_string() }}) as {{ column }},
    {%- endfor %}
    cast(null as {{ dbt.type_string() }}) as _landing_file
  where 1 = 0
{%- endmacro %}


{% macro duckdb__landing_source(source_name) %}
  {%- set contract = landing_contract()[source_name] -%}
  {%- set columns = contract.required + contract.optional -%}
  {%- if not execute -%}
    {{ return(landing_empty_select(columns)) }}
  {%- endif -%}
  {%- set base = landing_dir() ~ '/' ~ source_name -%}
  {%- set listing -%}
    select file from glob('{{ base }}.csv')
    union all select file from glob('{{ base }}.parquet')
    union all select file from glob('{{ base }}/*.csv')
    union all select file from glob('{{ base }}/*.parquet')
    order by file
  {%- endset -%}
  {%- set files = run_query(listing).columns[0].values() | list -%}
  {%- if files | length == 0 -%}
    {{ log("landing: no file for source " ~ source_name ~ " under " ~ landing_dir() ~ "; it is read as an empty table", info=false) }}
    {{ return(landing_empty_select(columns)) }}
  {%- endif -%}
  {%- set csv_files = [] -%}
  {%- set parquet_files = [] -%}
  {%- for f in files -%}
    {%- if f.endswith('.csv') -%}{%- do csv_files.append(f) -%}{%- else -%}{%- do parquet_files.append(f) -%}{%- endif -%}
  {%- endfor -%}
  {%- set parts = [] -%}
  {%- for kind, group in [('csv', csv_files), ('parquet', parquet_files)] if group | length > 0 -%}
    {%- set present = [] -%}
    {%- for f in group -%}
      {%- set reader = duckdb__landing_reader(kind, [f]) -%}
      {%- set found = run_query('describe select * from ' ~ reader).columns[0].values() | list -%}
      {%- for required in contract.required -%}
        {%- if required not in found -%}
          {{ exceptions.raise_compiler_error("Landing file " ~ f ~ " (source " ~ source_name ~ ") is missing the required column '" ~ required ~ "'. Columns found: " ~ (found | join(', ')) ~ ". Add the column (or rename the one that holds it) and rebuild.") }}
        {%- endif -%}
      {%- endfor -%}
      {%- for c in found if c in columns and c not in present -%}{%- do present.append(c) -%}{%- endfor -%}
    {%- endfor -%}
    {%- set part -%}
      select
        {%- for column in columns %}
        {% if column in present %}cast({{ adapter.quote(column) }} as {{ dbt.type_string() }}){% else %}cast(null as {{ dbt.type_string() }}){% endif %} as {{ column }},
        {%- endfor %}
        _landing_file
      from {{ duckdb__landing_reader(kind, group) }}
    {%- endset -%}
    {%- do parts.append(part) -%}
  {%- endfor -%}
  {{ return(parts | join('\n    union all\n')) }}
{% endmacro %}


{% macro duckdb__landing_reader(kind, files) -%}
  {%- set file_list -%}[{% for f in files %}'{{ f }}'{% if not loop.last %}, {% endif %}{% endfor %}]{%- endset -%}
  {%- if kind == 'csv' -%}
    read_csv({{ file_list }}, header = true, delim = ',', quote = '"', all_varchar = true, union_by_name = true, null_padding = true, filename = '_landing_file')
  {%- else -%}
    read_parquet({{ file_list }}, union_by_name = true, filename = '_landing_file')
  {%- endif -%}
{%- endmacro %}


{#- on-run-start: a landing folder holding no file of the input contract is a mistake (a wrong
    path, an export that did not arrive), not an empty warehouse. Stop with a message saying so. -#}
{% macro check_landing_dir() %}
  {%- if execute and flags.WHICH in ('build', 'run', 'seed', 'test') -%}
    {{ return(adapter.dispatch('check_landing_dir', 'usage_health')()) }}
  {%- endif -%}
{% endmacro %}

{% macro default__check_landing_dir() %}
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
    {{ exceptions.raise_compiler_error("The landing folder '" ~ landing_dir() ~ "' holds no file of the input contract (expected files such as product_events.csv, crm_accounts.csv or product_events/*.parquet). Check the landing_dir var (--vars '{landing_dir: DIR}') or $USAGE_HEALTH_LANDING, or run `make demo-data` for the demo files.") }}
  {%- endif -%}
{% endmacro %}
