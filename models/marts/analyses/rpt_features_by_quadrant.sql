-- One row per feature (seeds/features.csv) x quadrant of the latest complete week: of the
-- quadrant's accounts, how many used the feature in the trailing usage window (4 weeks ending
-- that week), that share, and the feature's events per account in the quadrant; the feature's
-- rank among the quadrant's features by events per account (rank 1 = used most: read it for
-- Frustrated Power Users); and, on every row of the feature, its lift for Champions: the
-- share of Champions using it / the share of the other scored quadrants' accounts using it.
with features_config as (
    select * from {{ ref('features') }}
),

user_features as (
    select * from {{ ref('int_account_user_features_weekly') }}
),

scores as (
    select * from {{ ref('int_account_quadrants') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

quadrants as (
    select
        quadrant,
        display_order as quadrant_order,
        usage_side = 'high' and health_side = 'high' as is_champions,
        kind = 'quadrant' as is_scored
    from {{ ref('quadrants') }}
    where kind in ('quadrant', 'insufficient_data')
),

features as (
    select
        feature,
        min(product_area) as product_area,
        {{ dbt.bool_or('is_core') }} as is_core
    from features_config
    group by feature
),

latest as (
    select
        scores.account_id,
        scores.quadrant
    from scores
    inner join parameters on scores.week_start = parameters.latest_week_start
),

window_use as (
    select
        user_features.scored_account_id as account_id,
        user_features.feature,
        sum(user_features.events) as events
    from user_features
    cross join parameters
    where
        user_features.feature is not null
        and user_features.week_start > {{ add_days('parameters.latest_week_start', -7 * usage_window_weeks()) }}
        and user_features.week_start <= parameters.latest_week_start
    group by user_features.scored_account_id, user_features.feature
),

quadrant_sizes as (
    select
        quadrants.quadrant,
        quadrants.quadrant_order,
        quadrants.is_champions,
        quadrants.is_scored,
        count(latest.account_id) as accounts_in_quadrant
    from quadrants
    left join latest on quadrants.quadrant = latest.quadrant
    group by quadrants.quadrant, quadrants.quadrant_order, quadrants.is_champions, quadrants.is_scored
),

use_by_quadrant as (
    select
        latest.quadrant,
        window_use.feature,
        count(*) as accounts_using,
        sum(window_use.events) as events
    from window_use
    inner join latest on window_use.account_id = latest.account_id
    group by latest.quadrant, window_use.feature
),

grid as (
    select
        features.feature,
        features.product_area,
        features.is_core,
        quadrant_sizes.quadrant,
        quadrant_sizes.quadrant_order,
        quadrant_sizes.is_champions,
        quadrant_sizes.is_scored,
        quadrant_sizes.accounts_in_quadrant,
        coalesce(use_by_quadrant.accounts_using, 0) as accounts_using,
        coalesce(use_by_quadrant.events, 0) as events
    from features
    cross join quadrant_sizes
    left join use_by_quadrant
        on
            features.feature = use_by_quadrant.feature
            and quadrant_sizes.quadrant = use_by_quadrant.quadrant
),

champion_lift as (
    select
        feature,
        cast(sum(case when is_champions then accounts_using end) as double)
        / nullif(sum(case when is_champions then accounts_in_quadrant end), 0) as champions_share,
        cast(sum(case when is_scored and not is_champions then accounts_using end) as double)
        / nullif(sum(case when is_scored and not is_champions then accounts_in_quadrant end), 0)
            as others_share
    from grid
    group by feature
),

final as (
    select
        grid.feature,
        grid.product_area,
        grid.is_core,
        grid.quadrant,
        grid.quadrant_order,
        grid.accounts_in_quadrant,
        grid.accounts_using,
        {{ round_to('cast(grid.accounts_using as double) / nullif(grid.accounts_in_quadrant, 0)', 4) }} as share_using,
        grid.events,
        {{ round_to('cast(grid.events as double) / nullif(grid.accounts_in_quadrant, 0)', 2) }} as events_per_account,
        cast(rank() over (
            partition by grid.quadrant
            order by cast(grid.events as double) / nullif(grid.accounts_in_quadrant, 0) desc
        ) as integer) as usage_rank_in_quadrant,
        {{ round_to('champion_lift.champions_share', 4) }} as champions_share_using,
        {{ round_to('champion_lift.others_share', 4) }} as others_share_using,
        {{ round_to('champion_lift.champions_share / nullif(champion_lift.others_share, 0)', 2) }} as champions_lift
    from grid
    inner join champion_lift on grid.feature = champion_lift.feature
)

select * from final
