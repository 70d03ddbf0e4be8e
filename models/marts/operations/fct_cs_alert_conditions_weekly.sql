-- One row per scored account x week x alert rule: whether the rule can be judged that week
-- (`is_evaluable`) and whether its condition holds (`holds`). The state behind the alert
-- history (fct_cs_alert_history): rpt_cs_alerts raises an alert in the week a condition starts
-- (or, for score drops and renewals, every week it holds); here every week is judged, so an
-- alert can be seen to last and to clear. Rules and cut-offs as in rpt_cs_alerts
-- (seeds/segment_thresholds.csv):
--   critical_movement  holds from a critical quadrant move until the next move: the account is
--                      still in the quadrant the move took it to (Insufficient Data weeks keep
--                      it, as moves compare with the last known quadrant); `condition_key` is
--                      the move's week, so a second critical move starts a new alert
--   health_into_red    the health band is red
--   usage_score_drop / health_score_drop  the score is alert_drop_points or more below its
--                      highest in the previous alert_drop_weeks weeks
--   renewal_at_risk    renewal within alert_renewal_days in a low-health quadrant
-- Judged as rpt_cs_alerts judges them: never in churned weeks; in onboarding and reactivated
-- weeks only the score drops; in Insufficient Data weeks only critical_movement (the other
-- rules are not judged that week: it neither holds nor clears). `last_known_quadrant` is the
-- account's quadrant that week, or its last known one in an Insufficient Data week.
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
        weekly.segment,
        weekly.lifecycle_stage,
        weekly.quadrant,
        weekly.usage_score,
        weekly.health_score,
        weekly.health_band,
        weekly.days_to_renewal,
        quadrants.kind as quadrant_kind,
        quadrants.health_side,
        settings.alert_drop_points,
        settings.alert_drop_weeks,
        settings.alert_renewal_days
    from weekly
    inner join quadrants on weekly.quadrant = quadrants.quadrant
    inner join settings on weekly.segment = settings.segment
),

-- the highest usage and health score of each account's previous alert_drop_weeks weeks
window_highs as (
    select
        account_weeks.account_id,
        account_weeks.week_start,
        max(earlier.usage_score) as high_usage_score,
        max(earlier.health_score) as high_health_score
    from account_weeks
    inner join weekly as earlier
        on
            account_weeks.account_id = earlier.account_id
            and earlier.week_start < account_weeks.week_start
            and earlier.week_start >= {{ add_days('account_weeks.week_start', '-7 * account_weeks.alert_drop_weeks') }}
    group by account_weeks.account_id, account_weeks.week_start
),

-- the last quadrant move on or before each week: a critical one holds until the next move
last_moves as (
    select
        account_weeks.account_id,
        account_weeks.week_start,
        movements.week_start as move_week_start,
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
        window_highs.high_health_score,
        last_moves.move_week_start,
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

conditions as (
    select
        account_id,
        week_start,
        segment,
        last_known_quadrant,
        'critical_movement' as alert_rule,
        is_active as is_evaluable,
        is_in_critical_move as holds,
        case when is_in_critical_move then move_week_start end as condition_key
    from judged

    union all

    select
        account_id,
        week_start,
        segment,
        last_known_quadrant,
        'health_into_red' as alert_rule,
        is_active and is_placed as is_evaluable,
        coalesce(health_band = 'red', false) as holds,
        cast(null as date) as condition_key
    from judged

    union all

    {%- for score in ['usage', 'health'] %}
        select
            account_id,
            week_start,
            segment,
            last_known_quadrant,
            '{{ score }}_score_drop' as alert_rule,
            lifecycle_stage != 'churned' and is_placed as is_evaluable,
            coalesce(high_{{ score }}_score - {{ score }}_score >= alert_drop_points, false) as holds,
            cast(null as date) as condition_key
        from judged

        union all
    {%- endfor %}

    select
        account_id,
        week_start,
        segment,
        last_known_quadrant,
        'renewal_at_risk' as alert_rule,
        is_active and is_placed as is_evaluable,
        coalesce(days_to_renewal <= alert_renewal_days and health_side = 'low', false) as holds,
        cast(null as date) as condition_key
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
        segment,
        last_known_quadrant,
        alert_rule,
        is_evaluable,
        is_evaluable and holds as holds,
        condition_key
    from conditions
)

select * from final
