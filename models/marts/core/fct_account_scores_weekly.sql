-- One row per scored account x week (every complete week up to as_of): usage and health
-- scores, coverage, quadrant, the previous week's quadrant, weeks in the current quadrant,
-- every component score (`<component>_score`) and the signal values behind them.
-- Numbers are rounded (scores 2 decimals, signals 4) so rebuilds are byte-identical.
{%- set components = all_score_components() | reject('equalto', 'product_usage') | list %}
{%- set signal_columns = [
    'licensed_seats', 'active_users', 'license_utilization', 'core_feature_breadth', 'core_feature_depth',
    'session_frequency', 'session_depth', 'session_minutes', 'workflow_completion', 'usage_consistency',
    'time_to_value', 'nps_responses', 'nps', 'nps_trend', 'tickets_opened', 'open_ticket_age',
    'touchpoint_recency', 'renewal_risk', 'arr_trend', 'cs_platform_health', 'days_to_renewal'] %}
{#- Counts and days are whole numbers; the other signals are rounded to 4 decimals. -#}
{%- set count_columns = ['licensed_seats', 'active_users', 'time_to_value', 'nps_responses', 'tickets_opened',
    'touchpoint_recency', 'days_to_renewal'] %}
with scores as (
    select * from {{ ref('int_account_weekly_scores') }}
),

signals as (
    select * from {{ ref('int_account_weekly_signals') }}
),

component_scores as (
    select * from {{ ref('int_component_scores') }}
),

components_wide as (
    select
        account_id,
        week_start,
        {%- for component in components %}
            max(case when component = '{{ component }}' then component_score end) as {{ component }}_score{% if not loop.last %},{% endif %}
        {%- endfor %}
    from component_scores
    group by account_id, week_start
),

with_previous as (
    select
        scores.*,
        lag(scores.quadrant) over (partition by scores.account_id order by scores.week_start) as previous_quadrant,
        row_number() over (partition by scores.account_id order by scores.week_start)
        - row_number() over (partition by scores.account_id, scores.quadrant order by scores.week_start) as quadrant_streak
    from scores
),

final as (
    select
        with_previous.account_id,
        with_previous.week_start,
        signals.week_end,
        signals.is_latest_week,
        with_previous.segment,
        signals.arr,
        {{ round_to('with_previous.usage_score', 2) }} as usage_score,
        {{ round_to('with_previous.usage_coverage', 4) }} as usage_coverage,
        {{ round_to('with_previous.health_score', 2) }} as health_score,
        {{ round_to('with_previous.health_coverage', 4) }} as health_coverage,
        with_previous.quadrant,
        with_previous.previous_quadrant,
        cast(row_number() over (
            partition by with_previous.account_id, with_previous.quadrant, with_previous.quadrant_streak
            order by with_previous.week_start
        ) as integer) as weeks_in_quadrant,
        {%- for component in components %}
            cast(round(components_wide.{{ component }}_score, 2) as double) as {{ component }}_score,
        {%- endfor %}
        {%- for column in signal_columns %}
            {% if column in count_columns %}signals.{{ column }}{% else %}{{ round_to('signals.' ~ column, 4) }} as {{ column }}{% endif %},
        {%- endfor %}
        signals.last_touchpoint_sentiment,
        signals.renewal_date
    from with_previous
    inner join signals
        on
            with_previous.account_id = signals.account_id
            and with_previous.week_start = signals.week_start
    left join components_wide
        on
            with_previous.account_id = components_wide.account_id
            and with_previous.week_start = components_wide.week_start
)

select * from final
