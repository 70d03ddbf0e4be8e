-- A workspace never counts for two accounts: every resolved workspace's deciding candidates
-- name exactly one (top-level) account, and no event is attributed to an account other than
-- its workspace's. A breach stops the build with one message naming the workspaces.
{%- set failing_sql %}
with candidates as (
    select * from {{ ref('int_workspace_account_candidates') }}
),

deciding as (
    select
        workspace_id,
        min(precedence_class) as precedence_class
    from candidates
    group by workspace_id
),

resolved as (
    select * from {{ ref('int_workspace_accounts') }}
    where resolution_status = 'resolved'
),

ambiguous_resolved as (
    select
        resolved.workspace_id,
        'resolved although its deciding candidates name several accounts' as problem
    from resolved
    inner join deciding on resolved.workspace_id = deciding.workspace_id
    inner join candidates
        on
            deciding.workspace_id = candidates.workspace_id
            and deciding.precedence_class = candidates.precedence_class
    group by resolved.workspace_id
    having count(distinct candidates.scored_account_id) > 1
),

misattributed_events as (
    select distinct
        events.workspace_id,
        'events attributed to an account other than the workspace''s' as problem
    from {{ ref('int_account_events') }} as events
    inner join resolved on events.workspace_id = resolved.workspace_id
    where events.scored_account_id != resolved.scored_account_id
)

select * from ambiguous_resolved
union all
select * from misattributed_events
{%- endset %}
{%- if data_quality_checks_run() %}
    {%- set messages = [] %}
    {%- for row in run_query(failing_sql ~ ' order by workspace_id, problem limit 10').rows %}
        {%- do messages.append('  Workspace ' ~ row['workspace_id'] ~ ': ' ~ row['problem'] ~ '.') %}
    {%- endfor %}
    {%- if messages %}
        {%- do messages.append("  Identity resolution must give a workspace one account or none (a conflict: marts.rpt_identity_conflicts lists its candidates). Settle a conflict with a workspace row in seeds/account_mapping_overrides.csv or the landing folder's account_mapping_overrides.csv; anything else is a fault in int_workspace_accounts / int_account_events.") %}
    {%- endif %}
    {%- do report_data_quality('A workspace counts for more than one account', messages, 'error') %}
{%- endif %}
{{ failing_sql }}
