-- One row per scored account x week x scored use case (seeds/use_cases.csv), churned weeks
-- left out: the use case's adoption (share of the account's active users in the trailing
-- window who used it, int_account_use_case_signals), its 0-100 score against the segment, and
-- its band, so a CSM reads "strong in analytics, nothing in automation".
--   score_among_peers: mid-rank percentile of the share among the accounts with data in the
--              same segment, week and use case (ties share the mean of their ranks, a lone peer
--              scores 50), as the relative score components are; a segment with fewer accounts
--              with data than its min_peer_group_size is ranked among all accounts. An account
--              that used nothing of the use case scores 0: nothing is the worst value, not the
--              mid-rank of everyone else who used nothing.
--   decide_band: red below the use case's red_below, green at or above its green_at, yellow
--              between (seeds/use_cases.csv); null without data.
with signals as (
    select * from {{ ref('int_account_use_case_signals') }}
),

weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

settings as (
    select * from {{ ref('int_segment_settings') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
),

in_scope as (
    select
        signals.*,
        weekly.is_latest_week,
        weekly.lifecycle_stage,
        settings.min_peer_group_size
    from signals
    inner join weekly
        on
            signals.account_id = weekly.account_id
            and signals.week_start = weekly.week_start
    inner join settings on signals.segment = settings.segment
    where weekly.lifecycle_stage != 'churned'
),

ranked as (
    select
        account_id,
        week_start,
        product_area,
        {{ peer_ranks(['segment', 'week_start', 'product_area'], ['week_start', 'product_area'], 'use_case_user_share') }}
    from in_scope
    where use_case_user_share is not null
),

score_among_peers as (
    select
        in_scope.account_id,
        in_scope.week_start,
        in_scope.product_area,
        case
            when ranked.account_id is null then null
            when ranked.segment_peers >= in_scope.min_peer_group_size then 'segment'
            else 'all_accounts'
        end as peer_group,
        case
            when in_scope.use_case_user_share is null then null
            when in_scope.use_case_user_share = 0 then 0.0
            when ranked.segment_peers >= in_scope.min_peer_group_size
                then {{ tied_percentile('ranked.segment_rank', 'ranked.segment_ties', 'ranked.segment_peers') }}
            else {{ tied_percentile('ranked.overall_rank', 'ranked.overall_ties', 'ranked.overall_peers') }}
        end as raw_score
    from in_scope
    left join ranked
        on
            in_scope.account_id = ranked.account_id
            and in_scope.week_start = ranked.week_start
            and in_scope.product_area = ranked.product_area
),

decide_band as (
    select
        score_among_peers.account_id,
        score_among_peers.week_start,
        score_among_peers.product_area,
        score_among_peers.peer_group,
        {{ round_to('score_among_peers.raw_score', 2) }} as use_case_score,
        case
            when score_among_peers.raw_score is null then null
            when {{ round_to('score_among_peers.raw_score', 2) }} < use_cases.red_below then 'red'
            when {{ round_to('score_among_peers.raw_score', 2) }} >= use_cases.green_at then 'green'
            else 'yellow'
        end as adoption_band
    from score_among_peers
    inner join use_cases on score_among_peers.product_area = use_cases.product_area
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'in_scope.account_id', "'|'",
            'cast(in_scope.week_start as ' ~ dbt.type_string() ~ ')', "'|'",
            'in_scope.product_area'
        ])) }} as use_case_week_key,
        in_scope.account_id,
        in_scope.week_start,
        in_scope.is_latest_week,
        in_scope.segment,
        in_scope.lifecycle_stage,
        in_scope.product_area,
        in_scope.use_case,
        use_cases.display_order as use_case_order,
        in_scope.active_users,
        in_scope.use_case_users,
        in_scope.use_case_events,
        in_scope.use_case_features_used,
        in_scope.use_case_features,
        {{ round_to('in_scope.use_case_user_share', 4) }} as use_case_user_share,
        decide_band.peer_group,
        decide_band.use_case_score,
        decide_band.adoption_band,
        use_cases.red_below,
        use_cases.green_at
    from in_scope
    inner join use_cases on in_scope.product_area = use_cases.product_area
    inner join decide_band
        on
            in_scope.account_id = decide_band.account_id
            and in_scope.week_start = decide_band.week_start
            and in_scope.product_area = decide_band.product_area
)

select * from final
