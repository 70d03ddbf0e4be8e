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

-- each week's rows are fanned out to the windows that contain it
active_window as (
    select
        user_features.scored_account_id,
        {{ add_days('user_features.week_start', '7 * window_offsets.offset_n') }} as week_start,
        count(distinct user_features.user_hash) as active_users
    from user_features
    cross join window_offsets
    group by 1, 2
),

use_case_window as (
    select
        user_features.scored_account_id,
        {{ add_days('user_features.week_start', '7 * window_offsets.offset_n') }} as week_start,
        feature_use_cases.product_area,
        count(distinct user_features.user_hash) as use_case_users,
        sum(user_features.events) as use_case_events,
        count(distinct user_features.feature) as use_case_features_used
    from user_features
    inner join feature_use_cases on user_features.feature = feature_use_cases.feature
    cross join window_offsets
    group by 1, 2, 3
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
