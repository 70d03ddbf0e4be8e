-- One row per workspace x week x user hash x event name: the events and the first day of them.
-- The account-week aggregates (int_account_usage_weekly, int_account_user_features_weekly) and
-- time-to-value are sums, distinct counts and minimums of these rows, so only this model reads
-- the events. Workspace level and seed-free (features, workflows and the account mapping are
-- joined on top every run), so a built week stays right when the configuration changes.
-- Incremental by week.
{{ config(**incremental_by_week_config()) }}

with events as (
    select * from {{ ref('stg_product__events') }}
    {%- if is_incremental() %}
        where week_start >= {{ incremental_first_week() }}
    {%- endif %}
),

final as (
    select
        workspace_id,
        week_start,
        user_hash,
        event_name,
        count(*) as events,
        min(event_date) as first_event_date
    from events
    group by workspace_id, week_start, user_hash, event_name
)

select * from final
