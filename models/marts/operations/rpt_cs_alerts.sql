-- One row per account x alert rule raised in the latest complete week: the calls to action for
-- CSMs, with the account, ARR, CSM owner and the reason in words. Rules (cut-offs per segment in
-- seeds/segment_thresholds.csv):
--   critical_movement  the quadrant moved critically this week (see fct_quadrant_movements)
--   health_into_red    health score fell below health_red_below this week
--   usage_score_drop / health_score_drop  the score fell by alert_drop_points or more over the
--                      last alert_drop_weeks weeks
--   renewal_at_risk    renewal within alert_renewal_days days while in a low-health quadrant
--                      (health_side low in seeds/quadrants.csv)
-- Accounts with Insufficient Data raise only critical_movement alerts.
with weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

quadrants as (
    select * from {{ ref('quadrants') }}
),

latest as (
    select * from weekly where is_latest_week
),

accounts as (
    select * from {{ ref('rpt_account_quadrant') }}
),

settings as (
    select * from {{ ref('int_segment_settings') }}
),

movements as (
    select * from {{ ref('fct_quadrant_movements') }}
    where is_latest_week and is_critical
),

compared as (
    select
        latest.account_id,
        latest.week_start,
        latest.quadrant,
        latest.usage_score,
        latest.health_score,
        latest.days_to_renewal,
        previous_week.health_score as previous_health_score,
        earlier.usage_score as earlier_usage_score,
        earlier.health_score as earlier_health_score,
        settings.health_red_below,
        settings.alert_drop_points,
        settings.alert_drop_weeks,
        settings.alert_renewal_days,
        quadrants.health_side
    from latest
    inner join quadrants on latest.quadrant = quadrants.quadrant
    inner join settings on latest.segment = settings.segment
    left join weekly as previous_week
        on
            latest.account_id = previous_week.account_id
            and {{ add_days('latest.week_start', -7) }} = previous_week.week_start
    left join weekly as earlier
        on
            latest.account_id = earlier.account_id
            and {{ add_days('latest.week_start', '-7 * settings.alert_drop_weeks') }} = earlier.week_start
    where quadrants.kind = 'quadrant'
),

alerts as (
    select
        account_id,
        week_start,
        'critical_movement' as alert_rule,
        critical_reason || ' (was ' || from_quadrant || ', now ' || to_quadrant || ')' as reason
    from movements

    union all

    select
        account_id,
        week_start,
        'health_into_red' as alert_rule,
        'Health score ' || cast(health_score as {{ dbt.type_string() }})
        || ' fell below the red line ' || cast(health_red_below as {{ dbt.type_string() }})
        || ' (last week ' || cast(previous_health_score as {{ dbt.type_string() }}) || ')' as reason
    from compared
    where
        health_score < health_red_below
        and previous_health_score >= health_red_below

    union all

    select
        account_id,
        week_start,
        'usage_score_drop' as alert_rule,
        'Usage score fell ' || cast({{ round_to('earlier_usage_score - usage_score', 1) }} as {{ dbt.type_string() }})
        || ' points in ' || cast(alert_drop_weeks as {{ dbt.type_string() }}) || ' weeks ('
        || cast(earlier_usage_score as {{ dbt.type_string() }}) || ' to ' || cast(usage_score as {{ dbt.type_string() }}) || ')' as reason
    from compared
    where earlier_usage_score - usage_score >= alert_drop_points

    union all

    select
        account_id,
        week_start,
        'health_score_drop' as alert_rule,
        'Health score fell ' || cast({{ round_to('earlier_health_score - health_score', 1) }} as {{ dbt.type_string() }})
        || ' points in ' || cast(alert_drop_weeks as {{ dbt.type_string() }}) || ' weeks ('
        || cast(earlier_health_score as {{ dbt.type_string() }}) || ' to ' || cast(health_score as {{ dbt.type_string() }}) || ')' as reason
    from compared
    where earlier_health_score - health_score >= alert_drop_points

    union all

    select
        account_id,
        week_start,
        'renewal_at_risk' as alert_rule,
        'Renews in ' || cast(days_to_renewal as {{ dbt.type_string() }}) || ' days while ' || quadrant as reason
    from compared
    where
        days_to_renewal <= alert_renewal_days
        and health_side = 'low'
),

final as (
    select
        {{ dbt.hash(dbt.concat(['alerts.account_id', "'|'", 'alerts.alert_rule'])) }} as alert_key,
        alerts.account_id,
        accounts.account_name,
        accounts.segment,
        accounts.arr,
        accounts.csm_owner,
        alerts.week_start,
        alerts.alert_rule,
        case
            when alerts.alert_rule in ('critical_movement', 'renewal_at_risk') then 'high'
            else 'medium'
        end as severity,
        alerts.reason,
        accounts.quadrant,
        accounts.usage_score,
        accounts.health_score,
        accounts.days_to_renewal
    from alerts
    inner join accounts on alerts.account_id = accounts.account_id
)

select * from final
