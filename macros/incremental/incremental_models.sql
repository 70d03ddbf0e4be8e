{#-
  Incremental event models. base_product_events is loaded file by file (only new or rewritten
  landing files are read). The event models after it are rebuilt week by week: an incremental
  run replaces every week that changed (new events, from new or rewritten files, whatever their
  age) and, as a safety net for late data, every week from the model's last week minus
  `incremental_lookback_weeks`. `--full-refresh` (or a first run) builds everything. The weekly
  models are pure functions of the events (no identity resolution, no seeds, no as_of), so
  replacing whole weeks gives the rows a full rebuild gives; the account-level models join the
  mapping and the seeds on top, every run.
-#}

{#- The config of a model replaced week by week (column `week_start`). DuckDB: delete+insert of
    the weeks present in the new batch; Spark: insert_overwrite of the same week partitions. -#}
{% macro incremental_by_week_config() %}
  {{ return(adapter.dispatch('incremental_by_week_config', 'usage_health')()) }}
{% endmacro %}

{% macro default__incremental_by_week_config() %}
  {{ return({
    'materialized': 'incremental',
    'incremental_strategy': 'insert_overwrite',
    'partition_by': ['week_start'],
    'file_format': 'parquet',
    'on_schema_change': 'fail',
  }) }}
{% endmacro %}

{% macro duckdb__incremental_by_week_config() %}
  {{ return({
    'materialized': 'incremental',
    'incremental_strategy': 'delete+insert',
    'unique_key': 'week_start',
    'on_schema_change': 'fail',
  }) }}
{% endmacro %}


{#- The first week (a Monday, as a SQL date literal) an incremental run of this model rebuilds:
    its last week minus var incremental_lookback_weeks. Read from the target at execution, so it
    is a literal in the SQL (filters on it prune). Only meaningful inside is_incremental(). -#}
{% macro incremental_first_week(required_columns=[]) %}
  {%- do require_incremental_columns(required_columns) -%}
  {%- set lookback = var('incremental_lookback_weeks') | int -%}
  {%- if lookback < 0 -%}
    {{ exceptions.raise_compiler_error("var incremental_lookback_weeks is " ~ lookback ~ ": give 0 or more weeks to rebuild before the last one built.") }}
  {%- endif -%}
  {%- if not execute -%}{{ return("cast('1900-01-01' as date)") }}{%- endif -%}
  {%- set found = run_query('select cast(max(week_start) as ' ~ dbt.type_string() ~ ') from ' ~ this).columns[0].values()[0] -%}
  {%- if found is none -%}{{ return("cast('1900-01-01' as date)") }}{%- endif -%}
  {{ return(add_days("cast('" ~ found ~ "' as date)", -7 * lookback)) }}
{% endmacro %}


{#- The config of a landing source kept as a table and loaded file by file (base_product_events):
    an incremental run reads only the files that are new or were rewritten since the last run
    (landing_files_to_load) and replaces those files' rows; rows of files no longer in the landing
    folder are deleted first. DuckDB: delete+insert by file; Spark: insert_overwrite of the file's
    partition. -#}
{% macro incremental_by_landing_file_config(source_name) %}
  {{ return(adapter.dispatch('incremental_by_landing_file_config', 'usage_health')(source_name)) }}
{% endmacro %}

{% macro default__incremental_by_landing_file_config(source_name) %}
  {{ return({
    'materialized': 'incremental',
    'incremental_strategy': 'insert_overwrite',
    'partition_by': ['_landing_file'],
    'file_format': 'parquet',
    'on_schema_change': 'fail',
  }) }}
{% endmacro %}

{% macro duckdb__incremental_by_landing_file_config(source_name) %}
  {{ return({
    'materialized': 'incremental',
    'incremental_strategy': 'delete+insert',
    'unique_key': '_landing_file',
    'on_schema_change': 'fail',
    'pre_hook': "{{ delete_rows_of_removed_landing_files('" ~ source_name ~ "') }}",
  }) }}
{% endmacro %}


{#- The landing files of a source an incremental run must read: those whose version (size and
    modification time) is not in the target yet. Every file on a full refresh or first run. -#}
{% macro landing_files_to_load(source_name, versions) %}
  {%- if not (execute and is_incremental()) -%}{{ return(none) }}{%- endif -%}
  {%- do require_incremental_columns(['_landing_file_version']) -%}
  {%- set loaded = run_query('select distinct _landing_file, _landing_file_version from ' ~ this).rows -%}
  {%- set seen = [] -%}
  {%- for row in loaded -%}{%- do seen.append(row[0] ~ '|' ~ row[1]) -%}{%- endfor -%}
  {%- set files = [] -%}
  {%- for file, version in versions.items() if (file ~ '|' ~ version) not in seen -%}
    {%- do files.append(file) -%}
  {%- endfor -%}
  {{ return(files) }}
{% endmacro %}


{#- pre-hook: rows of landing files that are gone from the landing folder go too. -#}
{% macro delete_rows_of_removed_landing_files(source_name) %}
  {%- if execute and is_incremental() -%}
    {%- set files = landing_file_versions(source_name).keys() | list -%}
    delete from {{ this }}
    {%- if files | length > 0 %}
    where _landing_file not in ({% for f in files %}'{{ f }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif %}
  {%- endif -%}
{% endmacro %}


{#- The weeks (YYYY-MM-DD strings) an incremental run rebuilds besides the look-back: the result of
    `changed_weeks_sql`, a query returning one column of Monday dates, run at execution. -#}
{% macro incremental_changed_weeks(changed_weeks_sql) %}
  {%- if not (execute and is_incremental()) -%}{{ return([]) }}{%- endif -%}
  {%- set weeks = [] -%}
  {%- for row in run_query(changed_weeks_sql).rows if row[0] is not none -%}
    {%- do weeks.append(row[0] | string) -%}
  {%- endfor -%}
  {{ return(weeks | unique | sort | list) }}
{% endmacro %}

{#- The weeks, each also shifted by every number of weeks in `shifts` (e.g. [-1, 0, 1]). -#}
{% macro shift_weeks(weeks, shifts) %}
  {%- set out = [] -%}
  {%- for week in weeks -%}
    {%- set monday = modules.datetime.date.fromisoformat(week[:10]) -%}
    {%- for shift in shifts -%}
      {%- do out.append((monday + modules.datetime.timedelta(days=7 * shift)).isoformat()) -%}
    {%- endfor -%}
  {%- endfor -%}
  {{ return(out | unique | sort | list) }}
{% endmacro %}

{#- True for a week an incremental run rebuilds: on or after first_week, or one of weeks. -#}
{% macro is_rebuilt_week(week_column, first_week, weeks) -%}
  ({{ week_column }} >= {{ first_week }}
  {%- if weeks | length > 0 %} or {{ week_column }} in ({% for week in weeks %}cast('{{ week[:10] }}' as date){% if not loop.last %}, {% endif %}{% endfor %}){% endif %})
{%- endmacro %}

{#- Weeks whose events differ from those a weekly model was built from: the week fingerprints of
    int_event_week_fingerprints against the `events_fingerprint` the model keeps on its rows. -#}
{% macro weeks_with_new_fingerprints(fingerprints_relation) %}
  select coalesce(current_weeks.week_start, built.week_start) as week_start
  from {{ fingerprints_relation }} as current_weeks
  full outer join (select distinct week_start, events_fingerprint from {{ this }}) as built
    on current_weeks.week_start = built.week_start
  where
    current_weeks.events_fingerprint is null
    or built.events_fingerprint is null
    or current_weeks.events_fingerprint != built.events_fingerprint
{% endmacro %}

{#- A fingerprint of a set of events (an aggregate): their count and a sum of row hashes, so an
    added, removed or changed event changes it. -#}
{% macro events_fingerprint() %}
  {{ return(adapter.dispatch('events_fingerprint', 'usage_health')()) }}
{% endmacro %}

{% macro default__events_fingerprint() -%}
  concat(cast(count(*) as string), ':', cast(sum(cast(hash(event_id, occurred_at, workspace_id, user_hash, event_name, coalesce(source_session_hash, '')) as bigint)) as string))
{%- endmacro %}

{% macro duckdb__events_fingerprint() -%}
  cast(count(*) as varchar) || ':' || cast(sum(hash(event_id, occurred_at, workspace_id, user_hash, event_name, coalesce(source_session_hash, ''))) as varchar)
{%- endmacro %}


{#- An incremental run extends the table built before; one built by an earlier version of the
    project lacks the columns the run relies on. Say so, with the fix, instead of failing inside
    the SQL. -#}
{% macro require_incremental_columns(columns) %}
  {%- if execute and is_incremental() and columns | length > 0 -%}
    {%- set present = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- for column in columns if column | lower not in present -%}
      {{ exceptions.raise_compiler_error(this ~ " was built by an earlier version of the project (it has no column " ~ column ~ "), so it cannot be extended incrementally. Rebuild once with `dbt build --full-refresh` (or `make build FULL_REFRESH=1`); `make demo` always does.") }}
    {%- endfor -%}
  {%- endif -%}
{% endmacro %}


{#- A filter keeping the rows of the given landing files (paths). On Spark, _landing_file is the
    partition column of the tables loaded file by file, and a plain filter on it goes to the
    metastore, which Derby's (local Spark) refuses for these paths: wrapped in an expression, the
    partitions are listed and filtered by Spark itself. -#}
{% macro landing_files_filter(files) %}
  {{ return(adapter.dispatch('landing_files_filter', 'usage_health')(files)) }}
{% endmacro %}

{% macro default__landing_files_filter(files) -%}
  concat(_landing_file, '|') in ('{{ (files | map('replace', "'", "''") | list + ['']) | join("|', '") }}|')
{%- endmacro %}

{% macro duckdb__landing_files_filter(files) -%}
  _landing_file in ('{{ (files | map('replace', "'", "''") | list + ['']) | join("', '") }}')
{%- endmacro %}
