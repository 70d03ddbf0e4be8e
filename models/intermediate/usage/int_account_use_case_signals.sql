-- One row per scored account x week x scored use case (seeds/use_cases.csv, is_scored): how
-- much of the account uses the use case over the trailing window of `usage_window_days` (the
-- same 4 weeks as the usage signals). A use case is a product_area of seeds/features.csv: its
-- features are the features of that area. The share of active users who used it is the signal
-- fct_use_case_adoption_weekly scores against the segment. Zero is not null: an account seen
-- before with no active user in the window uses no use case (share 0); an account never seen,
-- or no product events at all, has no data (null).
{%- set window_weeks = usage_window_weeks() %}
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

user_features as (
    select * from {{ ref('int_account_user_features_weekly') }}
),

features as (
    select * from {{ ref('features') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
    where is_scored
),

window_offsets as (
    {{ integer_rows(window_weeks) }}
),

feature_use_cases as (
    select distinct
        features.feature,
        use_cases.product_area
    from features
    inner join use_cases on features.product_area = use_cases.product_area
),

use_case_feature_counts as (
    select
        product_area,
        count(*) as use_case_features
    from feature_use_cases
    group by 1
),

-- A trailing window counts a user (or a feature) once however many of its weeks they were
-- active in. Rather than a distinct count over every week fanned out to the windows holding it,
-- each active week counts the user for the windows ending that week and after, up to the user's
-- next active week, which counts them from there: a plain count over the same fan-out gives
-- the same distinct number, at about half the cost (issue 17).
user_weeks as (
    select distinct
        scored_account_id,
        user_hash,
        week_start
    from user_features
),

user_spans as (
    select
        scored_account_id,
        week_start,
        lead(week_start) over (partition by scored_account_id, user_hash order by week_start) as next_active_week
    from user_weeks
),

active_window as (
    select
        user_spans.scored_account_id,
        {{ add_days('user_spans.week_start', '7 * window_offsets.offset_n') }} as week_start,
        count(*) as active_users
    from user_spans
    inner join window_offsets
        on
            user_spans.next_active_week is null
            or {{ add_days('user_spans.week_start', '7 * window_offsets.offset_n') }} < user_spans.next_active_week
    group by 1, 2
),

use_case_rows as (
    select
        user_features.scored_account_id,
        user_features.week_start,
        feature_use_cases.product_area,
        user_features.user_hash,
        user_features.feature,
        user_features.events
    from user_features
    inner join feature_use_cases on user_features.feature = feature_use_cases.feature
),

use_case_user_spans as (
    select
        scored_account_id,
        week_start,
        product_area,
        lead(week_start) over (partition by scored_account_id, product_area, user_hash order by week_start) as next_active_week
    from (
        select distinct
            scored_account_id,
            product_area,
            user_hash,
            week_start
        from use_case_rows
    ) as distinct_users
),

use_case_feature_spans as (
    select
        scored_account_id,
        week_start,
        product_area,
        lead(week_start) over (partition by scored_account_id, product_area, feature order by week_start) as next_active_week
    from (
        select distinct
            scored_account_id,
            product_area,
            feature,
            week_start
        from use_case_rows
    ) as distinct_features
),

use_case_users as (
    select
        use_case_user_spans.scored_account_id,
        {{ add_days('use_case_user_spans.week_start', '7 * window_offsets.offset_n') }} as week_start,
        use_case_user_spans.product_area,
        count(*) as use_case_users
    from use_case_user_spans
    inner join window_offsets
        on
            use_case_user_spans.next_active_week is null
            or {{ add_days('use_case_user_spans.week_start', '7 * window_offsets.offset_n') }} < use_case_user_spans.next_active_week
    group by 1, 2, 3
),

use_case_features as (
    select
        use_case_feature_spans.scored_account_id,
        {{ add_days('use_case_feature_spans.week_start', '7 * window_offsets.offset_n') }} as week_start,
        use_case_feature_spans.product_area,
        count(*) as use_case_features_used
    from use_case_feature_spans
    inner join window_offsets
        on
            use_case_feature_spans.next_active_week is null
            or {{ add_days('use_case_feature_spans.week_start', '7 * window_offsets.offset_n') }} < use_case_feature_spans.next_active_week
    group by 1, 2, 3
),

-- events are summed, so every week simply counts in each window that holds it
use_case_events as (
    select
        weekly_events.scored_account_id,
        {{ add_days('weekly_events.week_start', '7 * window_offsets.offset_n') }} as week_start,
        weekly_events.product_area,
        sum(weekly_events.events) as use_case_events
    from (
        select
            scored_account_id,
            product_area,
            week_start,
            sum(events) as events
        from use_case_rows
        group by 1, 2, 3
    ) as weekly_events
    cross join window_offsets
    group by 1, 2, 3
),

use_case_window as (
    select
        use_case_events.scored_account_id,
        use_case_events.week_start,
        use_case_events.product_area,
        use_case_users.use_case_users,
        use_case_events.use_case_events,
        use_case_features.use_case_features_used
    from use_case_events
    left join use_case_users
        on
            use_case_events.scored_account_id = use_case_users.scored_account_id
            and use_case_events.week_start = use_case_users.week_start
            and use_case_events.product_area = use_case_users.product_area
    left join use_case_features
        on
            use_case_events.scored_account_id = use_case_features.scored_account_id
            and use_case_events.week_start = use_case_features.week_start
            and use_case_events.product_area = use_case_features.product_area
),

first_events as (
    select
        scored_account_id,
        min(first_event_date) as first_event_date
    from user_features
    group by 1
),

final as (
    select
        spine.account_id,
        spine.week_start,
        spine.segment,
        use_cases.product_area,
        use_cases.use_case,
        coalesce(active_window.active_users, 0) as active_users,
        coalesce(use_case_window.use_case_users, 0) as use_case_users,
        cast(coalesce(use_case_window.use_case_events, 0) as {{ dbt.type_bigint() }}) as use_case_events,
        coalesce(use_case_window.use_case_features_used, 0) as use_case_features_used,
        use_case_feature_counts.use_case_features,
        case
            when active_window.active_users > 0
                then cast(coalesce(use_case_window.use_case_users, 0) as double) / active_window.active_users
            -- seen before, no active user in the window: nothing used (the worst value)
            when first_events.first_event_date <= spine.week_end then 0.0
        end as use_case_user_share
    from spine
    cross join use_cases
    left join use_case_feature_counts on use_cases.product_area = use_case_feature_counts.product_area
    left join active_window
        on
            spine.account_id = active_window.scored_account_id
            and spine.week_start = active_window.week_start
    left join use_case_window
        on
            spine.account_id = use_case_window.scored_account_id
            and spine.week_start = use_case_window.week_start
            and use_cases.product_area = use_case_window.product_area
    left join first_events on spine.account_id = first_events.scored_account_id
)

select * from final
