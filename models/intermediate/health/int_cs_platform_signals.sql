-- One row per scored account x week (the account-week spine): the CS platform's own health score
-- and renewal risk as of the week's end. Each CRM account of the family contributes its latest
-- score within the trailing `cs_score_window_days` (90); the family's value is their mean
-- weighted by each member's ARR that month (equal weights where ARR is unknown). Renewal risk
-- is staging's 0-1 risk: 1 for `high` (or a set flag), 0.5 for `medium` (yellow: a flagged risk
-- is not "no risk"), 0 for `low`, a probability as given; a score without a renewal risk says
-- nothing about it (null, not "not at risk"). Null = no score in the window.
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

scores as (
    select * from {{ ref('stg_crm__cs_health_scores') }}
),

arr_monthly as (
    select * from {{ ref('stg_crm__arr_monthly') }}
),

platform_scores as (
    select
        hierarchy.scored_account_id,
        scores.account_id,
        scores.scored_at,
        scores.health_score,
        scores.renewal_risk as renewal_risk_flag
    from scores
    inner join hierarchy on scores.account_id = hierarchy.account_id
),

member_arr as (
    select
        account_id,
        month_start,
        sum(arr) as arr
    from arr_monthly
    group by account_id, month_start
),

platform_ranked as (
    select
        spine.account_id,
        spine.week_start,
        spine.week_end,
        platform_scores.account_id as member_account_id,
        platform_scores.health_score,
        platform_scores.renewal_risk_flag,
        row_number() over (
            partition by spine.account_id, spine.week_start, platform_scores.account_id
            order by platform_scores.scored_at desc
        ) as recency_rank
    from spine
    inner join platform_scores
        on
            spine.account_id = platform_scores.scored_account_id
            and cast(platform_scores.scored_at as date) <= spine.week_end
            and cast(platform_scores.scored_at as date) > {{ add_days('spine.week_end', -var('cs_score_window_days')) }}
),

platform_weighted as (
    select
        platform_ranked.account_id,
        platform_ranked.week_start,
        cast(sum({{ exact('platform_ranked.health_score') }} * coalesce(nullif(member_arr.arr, 0), 1)) as double)
        / sum(coalesce(nullif(member_arr.arr, 0), 1)) as cs_platform_health,
        cast(sum({{ exact('platform_ranked.renewal_risk_flag') }} * coalesce(nullif(member_arr.arr, 0), 1)) as double)
        / sum(case when platform_ranked.renewal_risk_flag is not null then coalesce(nullif(member_arr.arr, 0), 1) end) as renewal_risk
    from platform_ranked
    left join member_arr
        on
            platform_ranked.member_account_id = member_arr.account_id
            and cast({{ dbt.date_trunc('month', 'platform_ranked.week_end') }} as date) = member_arr.month_start
    where platform_ranked.recency_rank = 1
    group by platform_ranked.account_id, platform_ranked.week_start
),

final as (
    select
        spine.account_id,
        spine.week_start,
        platform_weighted.renewal_risk,
        platform_weighted.cs_platform_health
    from spine
    left join platform_weighted
        on
            spine.account_id = platform_weighted.account_id
            and spine.week_start = platform_weighted.week_start
)

select * from final
