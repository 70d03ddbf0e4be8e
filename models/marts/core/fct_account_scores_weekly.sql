-- One row per scored account x week (every complete week up to as_of): usage and health
-- scores, coverage, quadrant, the previous week's quadrant, weeks in the current quadrant,
-- every component score (`<component>_score`) and the signal values behind them, in the order
-- of the registry (seeds/score_components.csv, `evidence_columns`), then the renewal context.
-- Numbers are rounded (scores 2 decimals; signals 4, whole numbers as they are) so rebuilds
-- are byte-identical.
{%- set registry = score_component_registry() | rejectattr('method', 'equalto', 'passthrough') | list %}
{%- set evidence_columns = [] %}
{%- for entry in score_component_registry() %}
    {%- for column in entry.evidence_columns if column not in evidence_columns %}
        {%- do evidence_columns.append(column) %}
    {%- endfor %}
{%- endfor %}
{%- set signal_types = column_types(ref('int_account_weekly_signals')) %}
with scores as (
    select * from {{ ref('int_account_quadrants') }}
),

signals as (
    select * from {{ ref('int_account_weekly_signals') }}
),

component_scores as (
    select * from {{ ref('int_component_scores') }}
),

lifecycle as (
    select * from {{ ref('int_account_lifecycle') }}
),

components_wide as (
    select
        account_id,
        week_start,
        {%- for entry in registry %}
            max(case when component = '{{ entry.component }}' then component_score end) as {{ entry.component }}_score{% if not loop.last %},{% endif %}
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
        signals.csm_owner,
        signals.arr,
        with_previous.usage_score,
        with_previous.usage_coverage,
        with_previous.health_score,
        with_previous.health_coverage,
        with_previous.quadrant,
        with_previous.raw_quadrant,
        with_previous.insufficient_data_reason,
        with_previous.health_band,
        lifecycle.lifecycle_stage,
        with_previous.previous_quadrant,
        cast(row_number() over (
            partition by with_previous.account_id, with_previous.quadrant, with_previous.quadrant_streak
            order by with_previous.week_start
        ) as integer) as weeks_in_quadrant,
        {%- for entry in registry %}
            cast(round(components_wide.{{ entry.component }}_score, 2) as double) as {{ entry.component }}_score,
        {%- endfor %}
        {#- whole numbers (counts, days) as they are; other signals to 4 decimals #}
        {%- for column in evidence_columns %}
            {% if 'int' in signal_types.get(column, '') %}signals.{{ column }}{% else %}{{ round_to('signals.' ~ column, 4) }} as {{ column }}{% endif %},
        {%- endfor %}
        signals.days_to_renewal,
        signals.last_touchpoint_sentiment,
        signals.renewal_date,
        signals.renewal_date_source
    from with_previous
    inner join signals
        on
            with_previous.account_id = signals.account_id
            and with_previous.week_start = signals.week_start
    inner join lifecycle
        on
            with_previous.account_id = lifecycle.account_id
            and with_previous.week_start = lifecycle.week_start
    left join components_wide
        on
            with_previous.account_id = components_wide.account_id
            and with_previous.week_start = components_wide.week_start
)

select * from final
