-- One row per account x alert rule raised in the latest complete week: the calls to action for
-- CSMs, with the account, ARR, CSM owner, the reason in words and the three components that
-- moved the scores most since the week the rule compares with (`change_reasons`). Rules
-- (cut-offs per segment in seeds/segment_thresholds.csv):
--   critical_movement  a critical quadrant move this week (fct_quadrant_movements); compared
--                      with the last known quadrant's week
--   health_into_red    the health band turned red this week (health below health_red_below);
--                      compared with last week
--   usage_score_drop / health_score_drop  the score is alert_drop_points or more below its
--                      highest in the previous alert_drop_weeks weeks; compared with that week
--   renewal_at_risk    renewal within alert_renewal_days days while in a low-health quadrant
--                      (health_side low in seeds/quadrants.csv); compared with the week
--                      alert_drop_weeks before
-- Accounts with Insufficient Data raise only critical_movement alerts. Churned accounts raise
-- none (they are not in rpt_account_quadrant); onboarding and reactivated accounts are judged
-- against their own history only: score drops, never churn-risk alerts.
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
        latest.health_band,
        latest.days_to_renewal,
        previous_week.health_score as previous_health_score,
        previous_week.health_band as previous_health_band,
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
    where quadrants.kind = 'quadrant'
),

-- the previous alert_drop_weeks weeks of each account, for the highest score in the window
drop_window as (
    select
        compared.account_id,
        earlier.week_start,
        earlier.usage_score,
        earlier.health_score,
        row_number() over (
            partition by compared.account_id order by earlier.usage_score desc, earlier.week_start desc
        ) as usage_rank,
        row_number() over (
            partition by compared.account_id order by earlier.health_score desc, earlier.week_start desc
        ) as health_rank
    from compared
    inner join weekly as earlier
        on
            compared.account_id = earlier.account_id
            and earlier.week_start < compared.week_start
            and earlier.week_start >= {{ add_days('compared.week_start', '-7 * compared.alert_drop_weeks') }}
),

window_highs as (
    select
        account_id,
        max(case when usage_rank = 1 then usage_score end) as high_usage_score,
        max(case when usage_rank = 1 then week_start end) as high_usage_week_start,
        max(case when health_rank = 1 then health_score end) as high_health_score,
        max(case when health_rank = 1 then week_start end) as high_health_week_start
    from drop_window
    where usage_rank = 1 or health_rank = 1
    group by account_id
),

alerts as (
    select
        account_id,
        week_start,
        comparison_week_start,
        'critical_movement' as alert_rule,
        critical_reason || ' (was ' || from_quadrant || ', now ' || to_quadrant || ')' as reason
    from movements

    union all

    select
        account_id,
        week_start,
        {{ add_days('week_start', -7) }} as comparison_week_start,
        'health_into_red' as alert_rule,
        'Health score ' || cast(health_score as {{ dbt.type_string() }})
        || ' fell below the red line ' || cast(health_red_below as {{ dbt.type_string() }})
        || ' (last week ' || cast(previous_health_score as {{ dbt.type_string() }}) || ')' as reason
    from compared
    where
        health_band = 'red'
        and previous_health_band != 'red'

    union all

    {%- for score in ['usage', 'health'] %}
        select
            compared.account_id,
            compared.week_start,
            window_highs.high_{{ score }}_week_start as comparison_week_start,
            '{{ score }}_score_drop' as alert_rule,
            '{{ score | capitalize }} score fell ' || cast({{ round_to('window_highs.high_' ~ score ~ '_score - compared.' ~ score ~ '_score', 1) }} as {{ dbt.type_string() }})
            || ' points from its high of the last ' || cast(compared.alert_drop_weeks as {{ dbt.type_string() }}) || ' weeks ('
            || cast(window_highs.high_{{ score }}_score as {{ dbt.type_string() }}) || ' to ' || cast(compared.{{ score }}_score as {{ dbt.type_string() }}) || ')' as reason
        from compared
        inner join window_highs on compared.account_id = window_highs.account_id
        where window_highs.high_{{ score }}_score - compared.{{ score }}_score >= compared.alert_drop_points

        union all
    {%- endfor %}

    select
        account_id,
        week_start,
        {{ add_days('week_start', '-7 * alert_drop_weeks') }} as comparison_week_start,
        'renewal_at_risk' as alert_rule,
        'Renews in ' || cast(days_to_renewal as {{ dbt.type_string() }}) || ' days while ' || quadrant as reason
    from compared
    where
        days_to_renewal <= alert_renewal_days
        and health_side = 'low'
),

reasons as (
    {{ change_reasons('alerts') }}
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
        alerts.comparison_week_start,
        reasons.change_reasons,
        accounts.quadrant,
        accounts.health_band,
        accounts.usage_score,
        accounts.health_score,
        accounts.days_to_renewal
    from alerts
    inner join accounts on alerts.account_id = accounts.account_id
    left join reasons
        on
            alerts.account_id = reasons.account_id
            and alerts.week_start = reasons.week_start
            and alerts.comparison_week_start = reasons.comparison_week_start
    where
        accounts.lifecycle_stage = 'active'
        or alerts.alert_rule in ('usage_score_drop', 'health_score_drop')
)

select * from final
