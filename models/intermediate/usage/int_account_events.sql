-- One row per product event that counts toward an account's usage: deduplicated, on or before
-- as_of, from a workspace resolved to an account, on a production (or unknown-type) instance.
-- Adds the scored (top-level) account and the feature of the event (seeds/features.csv; events
-- not in the seed count as activity but as no feature).
-- A view for analysts and tests: the scores read the weekly aggregates, never this (at 100
-- million events a table of it would be rebuilt on every run).
{{ config(materialized='view') }}

with events as (
    select * from {{ ref('stg_product__events') }}
),

workspace_accounts as (
    select * from {{ ref('int_workspace_accounts') }}
),

features as (
    select * from {{ ref('features') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

final as (
    select
        events.event_id,
        workspace_accounts.scored_account_id,
        events.workspace_id,
        events.user_hash,
        events.source_session_hash,
        events.event_name,
        features.feature,
        coalesce(features.is_core, false) as is_core,
        events.occurred_at,
        events.event_date,
        events.week_start
    from events
    inner join workspace_accounts on events.workspace_id = workspace_accounts.workspace_id
    cross join parameters
    left join features on events.event_name = features.event_name
    where
        workspace_accounts.resolution_status = 'resolved'
        and workspace_accounts.counts_toward_usage
        and events.event_date <= parameters.as_of_date
)

select * from final
