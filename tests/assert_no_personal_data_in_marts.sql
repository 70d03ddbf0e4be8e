-- No user-level personal data past staging: no column of any mart is named like personal
-- data, and no text value in any mart is an email address or a raw user id from the landing
-- files. Returns one row per offending relation, column and kind of value.
-- depends_on: {{ ref('rpt_account_quadrant') }}
-- depends_on: {{ ref('fct_account_scores_weekly') }}
-- depends_on: {{ ref('fct_quadrant_movements') }}
-- depends_on: {{ ref('rpt_cs_alerts') }}
-- depends_on: {{ ref('rpt_top_accounts_by_arr') }}
-- depends_on: {{ ref('rpt_identity_conflicts') }}
-- depends_on: {{ ref('rpt_unresolved_workspaces') }}
-- depends_on: {{ ref('rpt_source_freshness') }}
-- depends_on: {{ ref('fct_use_case_adoption_weekly') }}
-- depends_on: {{ ref('fct_license_utilization_monthly') }}
-- depends_on: {{ ref('fct_account_engagement_weekly') }}
-- depends_on: {{ ref('fct_cs_alert_conditions_weekly') }}
-- depends_on: {{ ref('fct_cs_alert_history') }}
-- depends_on: {{ ref('rpt_playbook_outcomes') }}
-- depends_on: {{ ref('rpt_unknown_instances') }}
-- depends_on: {{ ref('rpt_churn_ratio_check') }}
{%- set personal_column_names = ['email', 'user_id', 'first_name', 'last_name', 'full_name', 'user_name', 'phone'] %}
{%- set checks = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.package_name == 'usage_health' and node.fqn[1] == 'marts' %}
        {#- Not adapter.get_relation: on Spark its cache does not know schemas created in this run.
            A mart not built (yet) has no columns. -#}
        {%- set relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias) %}
        {%- for column in adapter.get_columns_in_relation(relation) %}
            {%- for personal in personal_column_names if personal in column.name | lower %}
                {%- do checks.append("select '" ~ node.name ~ "' as relation_name, '" ~ column.name ~ "' as column_name, 'column named like personal data (" ~ personal ~ ")' as problem") %}
            {%- endfor %}
            {#- dbt-spark's columns say `string`, which Column.is_string() does not know -#}
            {%- if column.is_string() or column.dtype | lower == 'string' %}
                {%- do checks.append(
                    "select '" ~ node.name ~ "' as relation_name, '" ~ column.name ~ "' as column_name, 'email address or raw user id' as problem from " ~ relation
                    ~ " where " ~ adapter.quote(column.name) ~ " like '%_@_%._%'"
                    ~ " or " ~ adapter.quote(column.name) ~ " in (select user_id from raw_user_ids)") %}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}
with raw_user_ids as (
    select distinct user_id from {{ ref('base_product_users') }} where user_id is not null
)

{% if checks | length > 0 -%}
{%- set findings_sql -%}
select distinct
    relation_name,
    column_name,
    problem
from (
    {{ checks | join('\n    union all\n    ') }}
) as findings
{%- endset -%}
{%- if data_quality_checks_run() -%}
    {%- set messages = [] -%}
    {%- set failing_sql = "with raw_user_ids as (select distinct user_id from " ~ ref('base_product_users') ~ " where user_id is not null) " ~ findings_sql -%}
    {%- for row in run_query(failing_sql ~ ' order by relation_name, column_name, problem').rows -%}
        {%- do messages.append('  marts.' ~ row['relation_name'] ~ '.' ~ row['column_name'] ~ ': ' ~ row['problem'] ~ '.') -%}
    {%- endfor -%}
    {%- if messages -%}
        {%- do messages.append("  If the values come from your export (a csm_owner or account_name written as an email address), export names instead of addresses; if a model exposes them, hash or aggregate them in staging. Marts never hold a user id, an email or a personal name.") -%}
    {%- endif -%}
    {%- do report_data_quality('Personal data in the marts', messages, 'error') -%}
{%- endif %}
{{ findings_sql }}
{%- else -%}
    select
        'none' as relation_name,
        'none' as column_name,
        'no mart found to check' as problem
    from (select count(*) as user_count from raw_user_ids) as checked_users
    where {{ 'false' if not execute else 'true' }}
{%- endif %}
