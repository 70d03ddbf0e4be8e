-- The share of product events whose workspace resolves to no account (unresolved or in
-- conflict), among events of instances that count toward usage. One row when the share is
-- above `unresolved_events_warn_share` (warns), a second when it is above
-- `unresolved_events_error_share` (fails). Either says, in one message, the share against the
-- threshold, the workspaces with the most such events, where every one is listed
-- (rpt_unresolved_workspaces), how to map them and the var that changes the threshold.
-- depends_on: {{ ref('int_workspace_event_summary') }}
{{ config(warn_if='>=1', error_if='>=2') }}
{%- set failing_sql %}
with events as (
    select workspace_accounts.resolution_status
    from {{ ref('stg_product__events') }} as events
    inner join {{ ref('int_workspace_accounts') }} as workspace_accounts
        on events.workspace_id = workspace_accounts.workspace_id
    where workspace_accounts.counts_toward_usage
),

share as (
    select
        sum(case when resolution_status != 'resolved' then 1 else 0 end) as unresolved_events,
        count(*) as events,
        cast(sum(case when resolution_status != 'resolved' then 1 else 0 end) as double)
        / nullif(count(*), 0) as unresolved_share
    from events
),

limits as (
    select
        'warn' as threshold_level,
        'unresolved_events_warn_share' as threshold_var,
        {{ var('unresolved_events_warn_share') }} as limit_share
    union all
    select
        'error' as threshold_level,
        'unresolved_events_error_share' as threshold_var,
        {{ var('unresolved_events_error_share') }} as limit_share
)

select
    limits.threshold_level,
    limits.threshold_var,
    share.unresolved_events,
    share.events,
    share.unresolved_share,
    limits.limit_share
from share
cross join limits
where share.unresolved_share > limits.limit_share
{%- endset %}
{%- if data_quality_checks_run() %}
    {%- set failing = run_query(failing_sql).rows %}
    {%- if failing | length > 0 %}
        {#- the error row when there is one, else the warn row #}
        {%- set worst = namespace(row=failing[0]) %}
        {%- for candidate in failing if candidate['threshold_level'] == 'error' %}
            {%- set worst.row = candidate %}
        {%- endfor %}
        {%- set row = worst.row %}
        {%- set top_sql %}
            select
                workspace_accounts.workspace_id,
                workspace_accounts.resolution_status,
                coalesce(event_summary.event_count, 0) as event_count
            from {{ ref('int_workspace_accounts') }} as workspace_accounts
            left join {{ ref('int_workspace_event_summary') }} as event_summary
                on workspace_accounts.workspace_id = event_summary.workspace_id
            where workspace_accounts.resolution_status != 'resolved' and workspace_accounts.counts_toward_usage
            order by event_count desc, workspace_accounts.workspace_id
            limit 5
        {%- endset %}
        {%- set top = [] %}
        {%- for w in run_query(top_sql).rows %}
            {%- do top.append(w['workspace_id'] ~ " (" ~ w['event_count'] ~ " events, " ~ w['resolution_status'] ~ ")") %}
        {%- endfor %}
        {%- set message = "  Sources product_events / product_workspaces: " ~ row['unresolved_events'] ~ " of " ~ row['events']
            ~ " events of production (or unknown) instances (" ~ format_share(row['unresolved_share'])
            ~ ") belong to workspaces that map to no account, or to two, above the " ~ row['threshold_level'] ~ " threshold of "
            ~ format_share(row['limit_share']) ~ ".\n"
            ~ "  Workspaces with the most: " ~ (top | join(', ')) ~ ".\n"
            ~ "  Every one, with first and last event: select * from marts.rpt_unresolved_workspaces; conflicts with both candidates: marts.rpt_identity_conflicts.\n"
            ~ "  Map each to its CRM account (crm_account_id or subscription_id in product_workspaces, or a row workspace,<id>,<account_id> in"
            ~ " seeds/account_mapping_overrides.csv or the landing folder's account_mapping_overrides.csv), or accept this share with var "
            ~ row['threshold_var'] ~ " (dbt_project.yml, or --vars '{" ~ row['threshold_var'] ~ ": " ~ share_to_allow(row['unresolved_share']) ~ "}')." %}
        {%- do report_data_quality('Unresolved product usage above the ' ~ row['threshold_level'] ~ ' threshold', [message], row['threshold_level']) %}
    {%- endif %}
    {{ data_quality_message_rows([message] if failing | length > 0 else []) }}
{%- else %}
    {{ failing_sql }}
{%- endif %}
