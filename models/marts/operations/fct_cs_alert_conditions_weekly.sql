-- One row per scored account x week x alert rule: where the alert rules live. Whether the rule
-- can be judged that week (`is_evaluable`), whether its condition holds (`holds`), whether it
-- raises a call to action that week (`is_raised`) and the week it compares with
-- (`comparison_week_start`). rpt_cs_alerts is the latest week's raised rows, with the words;
-- fct_cs_alert_history is the runs of weeks that hold. Rules (cut-offs per segment in
-- seeds/segment_thresholds.csv):
--   critical_movement  holds from a critical quadrant move (fct_quadrant_movements) until the
--                      next move: the account is still in the quadrant the move took it to
--                      (Insufficient Data weeks keep it, as moves compare with the last known
--                      quadrant); `condition_key` is the move's week, so a second critical move
--                      starts a new alert. Raised in the move's week; compared with the last
--                      known quadrant's week
--   health_into_red    holds while the health band is red (health below health_red_below).
--                      Raised when the band was not red the week before; compared with that week
--   usage_score_drop / health_score_drop  hold while the score is alert_drop_points or more
--                      below its highest in the previous alert_drop_weeks weeks. Raised every
--                      week they hold; compared with the week of that high (the latest on a tie)
--   renewal_at_risk    holds while renewal is within alert_renewal_days in a low-health quadrant
--                      (health_side low in seeds/quadrants.csv). Raised every week it holds;
--                      compared with the week alert_drop_weeks before
-- Judged never in churned weeks; in onboarding and reactivated weeks only the score drops
-- (judged against the account's own history, never as churn risk); in Insufficient Data weeks
-- only critical_movement (the other rules are not judged that week: they neither hold nor
-- clear). `last_known_quadrant` is the account's quadrant that week, or its last known one in
-- an Insufficient Data week.
with weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

quadrants as (
    select * from {{ ref('quadrants') }}
),

settings as (
    select * from {{ ref('int_segment_settings') }}
),

movements as (
    select * from {{ ref('fct_quadrant_movements') }}
),

account_weeks as (
    select
        weekly.account_id,
        weekly.week_start,
        weekly.is_latest_week,
        weekly.segment,
        weekly.lifecycle_stage,
        weekly.quadrant,
        weekly.usage_score,
        weekly.health_score,
        weekly.health_band,
        weekly.days_to_renewal,
        previous_week.health_band as previous_health_band,
        quadrants.kind as quadrant_kind,
        quadrants.health_side,
        settings.alert_drop_points,
        settings.alert_drop_weeks,
        settings.alert_renewal_days
    from weekly
    inner join quadrants on weekly.quadrant = quadrants.quadrant
    inner join settings on weekly.segment = settings.segment
    left join weekly as previous_week
        on
            weekly.account_id = previous_week.account_id
            and {{ add_days('weekly.week_start', -7) }} = previous_week.week_start
),

-- each account-week's previous alert_drop_weeks weeks, ranked by score for the window's high
drop_window as (
    select
        account_weeks.account_id,
        account_weeks.week_start,
        earlier.week_start as earlier_week_start,
        earlier.usage_score,
        earlier.health_score,
        row_number() over (
            partition by account_weeks.account_id, account_weeks.week_start
            order by earlier.usage_score desc nulls last, earlier.week_start desc
        ) as usage_rank,
        row_number() over (
            partition by account_weeks.account_id, account_weeks.week_start
            order by earlier.health_score desc nulls last, earlier.week_start desc
        ) as health_rank
    from account_weeks
    inner join weekly as earlier
        on
            account_weeks.account_id = earlier.account_id
            and earlier.week_start < account_weeks.week_start
            and earlier.week_start >= {{ add_days('account_weeks.week_start', '-7 * account_weeks.alert_drop_weeks') }}
),

-- the highest usage and health score of the window, and the (latest) week it was reached
window_highs as (
    select
        account_id,
        week_start,
        max(case when usage_rank = 1 then usage_score end) as high_usage_score,
        max(case when usage_rank = 1 then earlier_week_start end) as high_usage_week_start,
        max(case when health_rank = 1 then health_score end) as high_health_score,
        max(case when health_rank = 1 then earlier_week_start end) as high_health_week_start
    from drop_window
    where usage_rank = 1 or health_rank = 1
    group by account_id, week_start
),

-- the last quadrant move on or before each week: a critical one holds until the next move
last_moves as (
    select
        account_weeks.account_id,
        account_weeks.week_start,
        movements.week_start as move_week_start,
        movements.comparison_week_start as move_comparison_week_start,
        movements.is_critical,
        row_number() over (
            partition by account_weeks.account_id, account_weeks.week_start
            order by movements.week_start desc
        ) as move_rank
    from account_weeks
    inner join movements
        on
            account_weeks.account_id = movements.account_id
            and movements.week_start <= account_weeks.week_start
),

judged as (
    select
        account_weeks.*,
        window_highs.high_usage_score,
        window_highs.high_usage_week_start,
        window_highs.high_health_score,
        window_highs.high_health_week_start,
        last_moves.move_week_start,
        last_moves.move_comparison_week_start,
        coalesce(last_moves.is_critical, false) as is_in_critical_move,
        account_weeks.lifecycle_stage = 'active' as is_active,
        account_weeks.quadrant_kind = 'quadrant' as is_placed,
        {{ last_non_null("case when account_weeks.quadrant_kind = 'quadrant' then account_weeks.quadrant end") }} over (
            partition by account_weeks.account_id
            order by account_weeks.week_start
            rows between unbounded preceding and current row
        ) as last_known_quadrant
    from account_weeks
    left join window_highs
        on
            account_weeks.account_id = window_highs.account_id
            and account_weeks.week_start = window_highs.week_start
    left join last_moves
        on
            account_weeks.account_id = last_moves.account_id
            and account_weeks.week_start = last_moves.week_start
            and last_moves.move_rank = 1
),

-- each rule: when it is judged, when it holds, when it raises a CTA, what it compares with
conditions as (
    select
        account_id,
        week_start,
        is_latest_week,
        segment,
        last_known_quadrant,
        'critical_movement' as alert_rule,
        is_active as is_evaluable,
        is_in_critical_move as holds,
        is_in_critical_move and move_week_start = week_start as starts_now,
        case when is_in_critical_move then move_week_start end as condition_key,
        move_comparison_week_start as comparison_week_start
    from judged

    union all

    select
        account_id,
        week_start,
        is_latest_week,
        segment,
        last_known_quadrant,
        'health_into_red' as alert_rule,
        is_active and is_placed as is_evaluable,
        coalesce(health_band = 'red', false) as holds,
        coalesce(previous_health_band != 'red', false) as starts_now,
        cast(null as date) as condition_key,
        {{ add_days('week_start', -7) }} as comparison_week_start
    from judged

    union all

    {%- for score in ['usage', 'health'] %}
        select
            account_id,
            week_start,
            is_latest_week,
            segment,
            last_known_quadrant,
            '{{ score }}_score_drop' as alert_rule,
            lifecycle_stage != 'churned' and is_placed as is_evaluable,
            coalesce(high_{{ score }}_score - {{ score }}_score >= alert_drop_points, false) as holds,
            true as starts_now,
            cast(null as date) as condition_key,
            high_{{ score }}_week_start as comparison_week_start
        from judged

        union all
    {%- endfor %}

    select
        account_id,
        week_start,
        is_latest_week,
        segment,
        last_known_quadrant,
        'renewal_at_risk' as alert_rule,
        is_active and is_placed as is_evaluable,
        coalesce(days_to_renewal <= alert_renewal_days and health_side = 'low', false) as holds,
        true as starts_now,
        cast(null as date) as condition_key,
        {{ add_days('week_start', '-7 * alert_drop_weeks') }} as comparison_week_start
    from judged
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'account_id', "'|'",
            'cast(week_start as ' ~ dbt.type_string() ~ ')', "'|'",
            'alert_rule'
        ])) }} as condition_week_key,
        account_id,
        week_start,
        is_latest_week,
        segment,
        last_known_quadrant,
        alert_rule,
        is_evaluable,
        is_evaluable and holds as holds,
        is_evaluable and holds and starts_now as is_raised,
        condition_key,
        case when is_evaluable and holds then comparison_week_start end as comparison_week_start
    from conditions
)

select * from final
