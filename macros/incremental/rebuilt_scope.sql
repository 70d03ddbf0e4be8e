{#-
  Tests on the event-grain models check what the run rebuilt, not all history (issue 17).

  An incremental event model records, while dbt runs it, a predicate over its own columns that
  selects the rows it replaced (`week_start >= ... or week_start in (...)` for the weekly models,
  `_landing_file in (...)` for base_product_events), in run_state.rebuilt_rows; a first build or
  --full-refresh records that it rebuilt everything. A model names in its meta
  (`rebuilt_rows_of`) the incremental model whose record scopes its tests, and every data test
  on it (unique, not_null, relationships, unique_combination, ...) then reads only those rows:
  get_where_subquery below, dbt's hook for a test's `where`, adds the predicate.

  Every row is checked on a first build, on --full-refresh, with var full_history_tests: true
  (`make build FULL_HISTORY_TESTS=1`), and on engines that record nothing (Spark: the tests
  there always read everything). A uniqueness check limited to the rebuilt weeks does not see a
  duplicate of an old week's event; the models never make one (stg_product__events keeps the
  copy already kept elsewhere) and the full-history check still proves it.
-#}

{#- Record what this run of the model rebuilt: `predicate` (SQL over the model's columns), or
    none for everything. Called from the model's body, so it runs at execution, once per run. -#}
{% macro record_rebuilt_rows(predicate) %}
  {{ return(adapter.dispatch('record_rebuilt_rows', 'usage_health')(predicate)) }}
{% endmacro %}

{% macro default__record_rebuilt_rows(predicate) %}
  {#- Spark and other engines: nothing recorded, tests read every row. -#}
{% endmacro %}

{% macro duckdb__record_rebuilt_rows(predicate) %}
  {%- if execute and flags.WHICH in ('build', 'run') -%}
    {%- set text = "null" if predicate is none else "'" ~ (predicate | replace("'", "''")) ~ "'" -%}
    {%- do run_query("create schema if not exists run_state") -%}
    {%- do run_query("create table if not exists run_state.rebuilt_rows (model varchar primary key, predicate varchar)") -%}
    {%- do run_query("insert or replace into run_state.rebuilt_rows values ('" ~ this.identifier ~ "', " ~ text ~ ")") -%}
  {%- endif -%}
{% endmacro %}


{#- The predicate a test on `tested_node` adds: the recorded rows of the model its meta
    `rebuilt_rows_of` names, or none (every row). -#}
{% macro rebuilt_rows_predicate(tested_node) %}
  {%- set scope_of = (tested_node.config.meta or {}).get('rebuilt_rows_of') -%}
  {%- if not execute or scope_of is none or flags.FULL_REFRESH or var('full_history_tests', false) | string | lower in ('true', '1', 'yes') -%}
    {{ return(none) }}
  {%- endif -%}
  {%- if target.type != 'duckdb' -%}{{ return(none) }}{%- endif -%}
  {%- set state = adapter.get_relation(database=target.database, schema='run_state', identifier='rebuilt_rows') -%}
  {%- if state is none -%}{{ return(none) }}{%- endif -%}
  {%- set rows = run_query("select predicate from " ~ state ~ " where model = '" ~ scope_of ~ "'").rows -%}
  {%- if rows | length == 0 -%}{{ return(none) }}{%- endif -%}
  {{ return(rows[0][0]) }}
{% endmacro %}


{#- dbt's hook for a test's `where` config, overridden: the test's own `where` (as dbt does) and,
    on a model whose tests are scoped to the rebuilt rows, that predicate. -#}
{% macro default__get_where_subquery(relation) -%}
  {%- set conditions = [] -%}
  {%- set where = config.get('where', '') -%}
  {%- if where -%}{%- do conditions.append('(' ~ where ~ ')') -%}{%- endif -%}
  {%- set attached = model.get('attached_node') if model is mapping else none -%}
  {%- if attached and attached in graph.nodes -%}
    {%- set predicate = rebuilt_rows_predicate(graph.nodes[attached]) -%}
    {%- if predicate is not none -%}{%- do conditions.append('(' ~ predicate ~ ')') -%}{%- endif -%}
  {%- endif -%}
  {%- if conditions | length > 0 -%}
    {%- set filtered -%}
      (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
    {%- endset -%}
    {{ return(filtered) }}
  {%- else -%}
    {{ return(relation) }}
  {%- endif -%}
{%- endmacro %}
