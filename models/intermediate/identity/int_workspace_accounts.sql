-- One row per workspace known to the product (workspaces export, events or users) with the
-- account it resolves to. The first precedence class with a candidate decides; if that class
-- names two or more (top-level) accounts the workspace is a `conflict` and counts for no account
-- (see rpt_identity_conflicts). The method that resolved it is kept on every row.
with known_workspaces as (
    select workspace_id from {{ ref('stg_product__workspaces') }}
    union
    select distinct workspace_id from {{ ref('stg_product__events') }}
    union
    select distinct workspace_id from {{ ref('stg_product__users') }}
),

workspaces as (
    select * from {{ ref('stg_product__workspaces') }}
),

candidates as (
    select * from {{ ref('int_workspace_account_candidates') }}
),

decision as (
    select
        candidates.workspace_id,
        count(distinct candidates.scored_account_id) as candidate_accounts,
        min(candidates.precedence) as winning_precedence
    from candidates
    where candidates.is_deciding
    group by candidates.workspace_id
),

winner as (
    select
        candidates.workspace_id,
        min(candidates.account_id) as account_id,
        min(candidates.scored_account_id) as scored_account_id,
        min(candidates.resolution_method) as resolution_method
    from candidates
    inner join decision
        on
            candidates.workspace_id = decision.workspace_id
            and candidates.precedence = decision.winning_precedence
    where decision.candidate_accounts = 1
    group by candidates.workspace_id
),

final as (
    select
        known_workspaces.workspace_id,
        winner.account_id,
        winner.scored_account_id,
        winner.resolution_method,
        case
            when winner.workspace_id is not null then 'resolved'
            when decision.candidate_accounts > 1 then 'conflict'
            else 'unresolved'
        end as resolution_status,
        coalesce(workspaces.instance_type, 'unknown') as instance_type,
        coalesce(workspaces.counts_toward_usage, true) as counts_toward_usage
    from known_workspaces
    left join workspaces on known_workspaces.workspace_id = workspaces.workspace_id
    left join decision on known_workspaces.workspace_id = decision.workspace_id
    left join winner on known_workspaces.workspace_id = winner.workspace_id
)

select * from final
