-- The share of product events whose workspace resolves to no account (unresolved or in
-- conflict), among events of instances that count toward usage. One row when the share is
-- above `unresolved_events_warn_share` (warns), a second when it is above
-- `unresolved_events_error_share` (fails). See rpt_unresolved_workspaces for the workspaces.
{{ config(warn_if='>=1', error_if='>=2') }}
with events as (
    select workspace_accounts.resolution_status
    from {{ ref('stg_product__events') }} as events
    inner join {{ ref('int_workspace_accounts') }} as workspace_accounts
        on events.workspace_id = workspace_accounts.workspace_id
    where workspace_accounts.counts_toward_usage
),

share as (
    select
        cast(sum(case when resolution_status != 'resolved' then 1 else 0 end) as double)
        / nullif(count(*), 0) as unresolved_share
    from events
),

limits as (
    select
        'warn' as threshold_level,
        {{ var('unresolved_events_warn_share') }} as limit_share
    union all
    select
        'error' as threshold_level,
        {{ var('unresolved_events_error_share') }} as limit_share
)

select
    limits.threshold_level,
    share.unresolved_share,
    limits.limit_share
from share
cross join limits
where share.unresolved_share > limits.limit_share
