-- One row per workspace whose events count for no account: unresolved (no method found an
-- account) or in conflict (two accounts), with its event count, users and first / last event.
-- These events are never dropped: they wait here until a mapping override resolves them.
with workspaces as (
    select * from {{ ref('int_workspace_accounts') }}
    where resolution_status != 'resolved'
),

event_summary as (
    select * from {{ ref('int_workspace_event_summary') }}
),

final as (
    select
        workspaces.workspace_id,
        workspaces.resolution_status,
        workspaces.instance_type,
        coalesce(event_summary.event_count, 0) as event_count,
        coalesce(event_summary.user_count, 0) as user_count,
        event_summary.first_event_at,
        event_summary.last_event_at
    from workspaces
    left join event_summary on workspaces.workspace_id = event_summary.workspace_id
)

select * from final
