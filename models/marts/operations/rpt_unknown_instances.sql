-- One row per workspace whose instance type is unknown (`unknown` in product_workspaces, or
-- missing, or a workspace the export does not list): the instances to label production,
-- non-production or obsolete (GitLab's "Unknown: not yet labeled", 003). Until labelled, an
-- unknown instance counts as production: its events count toward its account's usage. With
-- its events, users, first and last event on or before as_of, the account it maps to (and the
-- top-level account it is scored under), and the share of that account's counted events it
-- holds: the instances that move an account's scores most come first to label.
with workspaces as (
    select * from {{ ref('int_workspace_accounts') }}
),

event_summary as (
    select * from {{ ref('int_workspace_event_summary') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

counted_events as (
    select
        workspaces.scored_account_id,
        sum(event_summary.event_count) as account_event_count
    from workspaces
    inner join event_summary on workspaces.workspace_id = event_summary.workspace_id
    where
        workspaces.resolution_status = 'resolved'
        and workspaces.counts_toward_usage
    group by workspaces.scored_account_id
),

final as (
    select
        workspaces.workspace_id,
        workspaces.instance_type,
        workspaces.counts_toward_usage,
        workspaces.resolution_status,
        workspaces.resolution_method,
        workspaces.account_id,
        mapped_account.account_name,
        workspaces.scored_account_id,
        scored_account.account_name as scored_account_name,
        coalesce(event_summary.event_count, 0) as event_count,
        coalesce(event_summary.user_count, 0) as user_count,
        event_summary.first_event_at,
        event_summary.last_event_at,
        counted_events.account_event_count,
        case
            when workspaces.counts_toward_usage and counted_events.account_event_count > 0
                then {{ round_to('cast(coalesce(event_summary.event_count, 0) as double) / counted_events.account_event_count', 4) }}
        end as share_of_account_events
    from workspaces
    left join event_summary on workspaces.workspace_id = event_summary.workspace_id
    left join hierarchy as mapped_account on workspaces.account_id = mapped_account.account_id
    left join hierarchy as scored_account on workspaces.scored_account_id = scored_account.account_id
    left join counted_events
        on
            workspaces.scored_account_id = counted_events.scored_account_id
            and workspaces.resolution_status = 'resolved'
    where workspaces.instance_type = 'unknown'
)

select * from final
