-- One row per workspace that resolves to two or more accounts x candidate account: the
-- workspace counts for none of them until the conflict is settled (an override row in
-- seeds/account_mapping_overrides.csv, or a fix in the source system).
with workspaces as (
    select * from {{ ref('int_workspace_accounts') }}
    where resolution_status = 'conflict'
),

candidates as (
    select * from {{ ref('int_workspace_account_candidates') }}
),

events as (
    select * from {{ ref('int_workspace_event_summary') }}
),

final as (
    select
        workspaces.workspace_id,
        candidates.account_id as candidate_account_id,
        candidates.scored_account_id as candidate_scored_account_id,
        candidates.resolution_method,
        coalesce(events.event_count, 0) as event_count
    from workspaces
    inner join candidates
        on
            workspaces.workspace_id = candidates.workspace_id
            and candidates.is_deciding
    left join events on workspaces.workspace_id = events.workspace_id
)

select * from final
