-- One row per account x alert rule raised in the latest complete week: the calls to action for
-- CSMs. The rules live in fct_cs_alert_conditions_weekly (when each is judged, holds and is
-- raised, and the week it compares with); this report is its latest week's raised rows, with
-- the account, ARR, CSM owner, the reason in words and the three components that moved the
-- scores most since the week the rule compares with (`change_reasons`). The numbers in a
-- reason are the scores of the latest week and of the comparison week (the previous week for
-- health_into_red, the window's high for the score drops), the segment's cut-offs
-- (seeds/segment_thresholds.csv) and the critical move's quadrants (fct_quadrant_movements).
-- Severity: high for critical_movement and renewal_at_risk, medium otherwise.
with conditions as (
    select * from {{ ref('fct_cs_alert_conditions_weekly') }}
),

accounts as (
    select * from {{ ref('rpt_account_quadrant') }}
),

weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

settings as (
    select * from {{ ref('int_segment_settings') }}
),

movements as (
    select * from {{ ref('fct_quadrant_movements') }}
),

-- the rules' calls to action in the latest week (none for churned accounts: never judged)
raised as (
    select
        account_id,
        week_start,
        alert_rule,
        comparison_week_start
    from conditions
    where
        is_latest_week
        and is_raised
),

reasons as (
    {{ change_reasons('raised') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat(['raised.account_id', "'|'", 'raised.alert_rule'])) }} as alert_key,
        raised.account_id,
        accounts.account_name,
        accounts.segment,
        accounts.arr,
        accounts.csm_owner,
        raised.week_start,
        raised.alert_rule,
        case
            when raised.alert_rule in ('critical_movement', 'renewal_at_risk') then 'high'
            else 'medium'
        end as severity,
        case raised.alert_rule
            when 'critical_movement'
                then movements.critical_reason || ' (was ' || movements.from_quadrant || ', now ' || movements.to_quadrant || ')'
            when 'health_into_red'
                then
                    'Health score ' || cast(accounts.health_score as {{ dbt.type_string() }})
                    || ' fell below the red line ' || cast(settings.health_red_below as {{ dbt.type_string() }})
                    || ' (last week ' || cast(compared_week.health_score as {{ dbt.type_string() }}) || ')'
            {%- for score in ['usage', 'health'] %}
                when '{{ score }}_score_drop'
                    then
                        '{{ score | capitalize }} score fell '
                        || cast({{ round_to('compared_week.' ~ score ~ '_score - accounts.' ~ score ~ '_score', 1) }} as {{ dbt.type_string() }})
                        || ' points from its high of the last ' || cast(settings.alert_drop_weeks as {{ dbt.type_string() }}) || ' weeks ('
                        || cast(compared_week.{{ score }}_score as {{ dbt.type_string() }}) || ' to '
                        || cast(accounts.{{ score }}_score as {{ dbt.type_string() }}) || ')'
            {%- endfor %}
            when 'renewal_at_risk'
                then 'Renews in ' || cast(accounts.days_to_renewal as {{ dbt.type_string() }}) || ' days while ' || accounts.quadrant
        end as reason,
        raised.comparison_week_start,
        reasons.change_reasons,
        accounts.quadrant,
        accounts.health_band,
        accounts.usage_score,
        accounts.health_score,
        accounts.days_to_renewal
    from raised
    inner join accounts on raised.account_id = accounts.account_id
    inner join settings on accounts.segment = settings.segment
    -- the comparison week's scores: last week's for health_into_red, the window's high for the drops
    left join weekly as compared_week
        on
            raised.account_id = compared_week.account_id
            and raised.comparison_week_start = compared_week.week_start
    left join movements
        on
            raised.account_id = movements.account_id
            and raised.week_start = movements.week_start
            and raised.alert_rule = 'critical_movement'
    left join reasons
        on
            raised.account_id = reasons.account_id
            and raised.week_start = reasons.week_start
            and raised.comparison_week_start = reasons.comparison_week_start
)

select * from final
