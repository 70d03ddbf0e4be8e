-- One row per workspace x week x user hash x event name: the events and the first day of them.
-- The account-week aggregates (int_account_usage_weekly, int_account_user_features_weekly) and
-- time-to-value are sums, distinct counts and minimums of these rows, so only this model reads
-- the events. Workspace level and seed-free (features, workflows and the account mapping are
-- joined on top every run), so a built week stays right when the configuration changes.
-- Incremental by week: a run rebuilds the weeks whose events changed (their fingerprint) and the
-- look-back.
{{ config(**incremental_by_week_config()) }}
{%- if is_incremental() %}
    {%- set first_week = incremental_first_week(['events_fingerprint']) %}
    {%- set changed_weeks = incremental_changed_weeks(weeks_with_new_fingerprints(ref('int_event_week_fingerprints'))) %}
{%- endif %}
{%- do record_rebuilt_rows(is_rebuilt_week('week_start', first_week, changed_weeks) if is_incremental() else none) %}

with events as (
    select * from {{ ref('stg_product__events') }}
    {%- if is_incremental() %}
        where {{ is_rebuilt_week('week_start', first_week, changed_weeks) }}
    {%- endif %}
),

fingerprints as (
    select * from {{ ref('int_event_week_fingerprints') }}
),

aggregated as (
    select
        workspace_id,
        week_start,
        user_hash,
        event_name,
        count(*) as events,
        min(event_date) as first_event_date
    from events
    group by workspace_id, week_start, user_hash, event_name
),

final as (
    select
        aggregated.workspace_id,
        aggregated.week_start,
        aggregated.user_hash,
        aggregated.event_name,
        aggregated.events,
        aggregated.first_event_date,
        fingerprints.events_fingerprint
    from aggregated
    inner join fingerprints on aggregated.week_start = fingerprints.week_start
)

select * from final
