{#- Snapshots on Spark without Delta (issue 14). dbt-spark's snapshot materialization accepts only
    Delta, Iceberg or Hudi tables, because it ends in a MERGE; this project's Spark tables are plain
    Parquet (local Spark and a cluster without Delta). This is dbt-spark 1.11's materialization with
    one change: on a Parquet table the MERGE becomes a rewrite, the table's rows with the versions
    the staging relation closes closed, plus its new versions, written to a scratch table and put
    back with INSERT OVERWRITE. On a Delta, Iceberg or Hudi table it still merges. Snapshot tables
    are small (one row per CRM account and change), so a rewrite costs little. -#}
{% materialization snapshot, adapter='spark' %}

  {%- set target_table = model.get('alias', model.get('name')) -%}
  {%- set strategy_name = config.get('strategy') -%}
  {%- set file_format = config.get('file_format') or 'parquet' -%}
  {%- set grant_config = config.get('grants') -%}

  {% set target_relation_exists, target_relation = get_or_create_relation(
          database=none,
          schema=model.schema,
          identifier=target_table,
          type='table') -%}

  {%- if file_format not in ['delta', 'iceberg', 'hudi', 'parquet'] -%}
    {% do exceptions.raise_compiler_error("Snapshot " ~ model.name ~ ": file_format '" ~ file_format ~ "' is not supported (parquet, delta, iceberg or hudi)") %}
  {%- endif -%}
  {%- set can_merge = target_relation.is_delta or target_relation.is_iceberg or target_relation.is_hudi -%}

  {% if not adapter.check_schema_exists(model.database, model.schema) %}
    {% do create_schema(model.schema) %}
  {% endif %}

  {%- if not target_relation.is_table -%}
    {% do exceptions.relation_wrong_type(target_relation, 'table') %}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% set strategy_macro = strategy_dispatch(strategy_name) %}
  {% set strategy = strategy_macro(model, "snapshotted_data", "source_data", model['config'], target_relation_exists) %}

  {% if not target_relation_exists %}

      {% set build_sql = build_snapshot_table(strategy, model['compiled_code']) %}
      {% set final_sql = create_table_as(False, target_relation, build_sql) %}

  {% else %}

      {% set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() %}
      {{ adapter.valid_snapshot_target(target_relation, columns) }}

      {% set staging_table = spark_build_snapshot_staging_table(strategy, sql, target_relation) %}
      {% do adapter.expand_target_column_types(from_relation=staging_table, to_relation=target_relation) %}

      {% set internal = ['dbt_change_type', 'DBT_CHANGE_TYPE', 'dbt_unique_key', 'DBT_UNIQUE_KEY'] %}
      {% set missing_columns = adapter.get_missing_columns(staging_table, target_relation)
                                   | rejectattr('name', 'in', internal) | list %}
      {% do create_columns(target_relation, missing_columns) %}

      {% if can_merge %}
        {% set source_columns = adapter.get_columns_in_relation(staging_table) | rejectattr('name', 'in', internal) | list %}
        {% set final_sql = snapshot_merge_sql(
              target = target_relation,
              source = staging_table,
              insert_cols = source_columns | map(attribute='name') | map('string') | list
           ) %}
      {% else %}
        {% set rewrite_relation = api.Relation.create(identifier=target_table ~ '__dbt_rewrite',
                                                      schema=target_relation.schema, database=none, type='table') %}
        {% do adapter.drop_relation(rewrite_relation) %}
        {% call statement('snapshot_rewrite') %}
          {{ spark_snapshot_rewrite_sql(target_relation, staging_table, rewrite_relation, columns) }}
        {% endcall %}
        {% set final_sql %}
          insert overwrite table {{ target_relation }} select * from {{ rewrite_relation }}
        {% endset %}
      {% endif %}

  {% endif %}

  {% call statement('main') %}
      {{ final_sql }}
  {% endcall %}

  {% if rewrite_relation is defined %}
      {% do adapter.drop_relation(rewrite_relation) %}
  {% endif %}

  {% set should_revoke = should_revoke(target_relation_exists, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke) %}
  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}

  {% if staging_table is defined %}
      {% do post_snapshot(staging_table) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}

{#- The snapshot table as the MERGE would leave it: every row, the open versions the staging
    relation updates or deletes closed at its dbt_valid_to, then its inserts, in the table's
    column order. -#}
{% macro spark_snapshot_rewrite_sql(target_relation, staging_relation, rewrite_relation, columns) %}
  {%- set target_columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | list -%}
  create table {{ rewrite_relation }} using parquet as
  select
    {%- for column in target_columns %}
    {% if column == columns.dbt_valid_to -%}
    case when closing.{{ columns.dbt_scd_id }} is not null then closing.{{ columns.dbt_valid_to }} else dest.{{ adapter.quote(column) }} end
    {%- else -%}
    dest.{{ adapter.quote(column) }}
    {%- endif %} as {{ adapter.quote(column) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
  from {{ target_relation }} as dest
  left join (
      select {{ columns.dbt_scd_id }}, {{ columns.dbt_valid_to }}
      from {{ staging_relation }}
      where dbt_change_type in ('update', 'delete')
  ) as closing
      on dest.{{ columns.dbt_scd_id }} = closing.{{ columns.dbt_scd_id }}
      and dest.{{ columns.dbt_valid_to }} is null
  union all
  select
    {%- for column in target_columns %}
    {{ adapter.quote(column) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
  from {{ staging_relation }}
  where dbt_change_type = 'insert'
{% endmacro %}
