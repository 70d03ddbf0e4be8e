-- A workspace never counts for two accounts: every resolved workspace's deciding candidates
-- name exactly one (top-level) account, and no event is attributed to an account other than
-- its workspace's.
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
