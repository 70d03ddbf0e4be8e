{#-
  Incremental event models: rebuilt by week. An incremental run replaces every week from the
  target's last week minus `incremental_lookback_weeks` (late data) onwards; `--full-refresh`
  (or a first run) builds all weeks. Every event-derived incremental model is a pure function of
  the landing events (no identity resolution, no seeds, no as_of), so replacing whole weeks gives
  the same rows as a full rebuild: the account-level models join the mapping on top, every run.
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
{% macro incremental_first_week() %}
  {%- set lookback = var('incremental_lookback_weeks') | int -%}
  {%- if lookback < 0 -%}
    {{ exceptions.raise_compiler_error("var incremental_lookback_weeks is " ~ lookback ~ ": give 0 or more weeks to rebuild before the last one built.") }}
  {%- endif -%}
  {%- if not execute -%}{{ return("cast('1900-01-01' as date)") }}{%- endif -%}
  {%- set found = run_query('select cast(max(week_start) as ' ~ dbt.type_string() ~ ') from ' ~ this).columns[0].values()[0] -%}
  {%- if found is none -%}{{ return("cast('1900-01-01' as date)") }}{%- endif -%}
  {{ return(add_days("cast('" ~ found ~ "' as date)", -7 * lookback)) }}
{% endmacro %}
