-- One row per scored account x week x component: the component's 0-100 score by the method
-- configured in seeds/score_components.csv (the registry). Null when the signal has no data.
-- product_usage is not here: it is the usage score itself (int_account_quadrants).
--   signal_values: each component's signal, the column named after it in
--              int_account_weekly_signals, in long form so one scoring step serves them all.
--   relative:  mid-rank percentile among peers with data in the same segment and week (ties
--              share the mean of their ranks; one peer alone scores 50). A segment with fewer
--              accounts with data than its min_peer_group_size is ranked among all accounts.
--              lower_is_better components are ranked in reverse.
--   absolute:  against the account's own mean of the previous `baseline_weeks` weeks: flat = 50,
--              +100% or more = 100, -100% or less = 0 (reversed for lower_is_better).
--   threshold: green 100 / yellow 50 / red 0 by the component's red_limit and green_limit.
with signals as (
    select * from {{ ref('int_account_weekly_signals') }}
),

component_config as (
    select * from {{ ref('int_segment_component_weights') }}
),

settings as (
    select * from {{ ref('int_segment_settings') }}
),

signal_values as (
    {%- for entry in score_component_registry() if entry.method != 'passthrough' %}
        select
            account_id,
            week_start,
            segment,
            '{{ entry.component }}' as component,
            cast({{ entry.component }} as double) as signal_value
        from signals
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

configured as (
    select
        signal_values.account_id,
        signal_values.week_start,
        signal_values.segment,
        signal_values.component,
        signal_values.signal_value,
        component_config.score_name,
        component_config.method,
        component_config.direction,
        component_config.red_limit,
        component_config.green_limit,
        settings.min_peer_group_size,
        case
            when component_config.direction = 'lower_is_better' then -signal_values.signal_value
            else signal_values.signal_value
        end as directed_value
    from signal_values
    inner join component_config
        on
            signal_values.segment = component_config.segment
            and signal_values.component = component_config.component
    inner join settings on signal_values.segment = settings.segment
),

relative_ranked as (
    select
        account_id,
        week_start,
        component,
        min_peer_group_size,
        {{ peer_ranks(['segment', 'week_start', 'component'], ['week_start', 'component'], 'directed_value') }}
    from configured
    where
        method = 'relative'
        and signal_value is not null
),

relative_scored as (
    select
        account_id,
        week_start,
        component,
        case when segment_peers >= min_peer_group_size then 'segment' else 'all_accounts' end as peer_group,
        case
            when segment_peers >= min_peer_group_size
                then {{ tied_percentile('segment_rank', 'segment_ties', 'segment_peers') }}
            else {{ tied_percentile('overall_rank', 'overall_ties', 'overall_peers') }}
        end as component_score
    from relative_ranked
),

absolute_baselined as (
    select
        account_id,
        week_start,
        component,
        directed_value,
        avg(directed_value) over (
            partition by account_id, component
            order by week_start
            rows between {{ var('baseline_weeks') | int }} preceding and 1 preceding
        ) as directed_baseline
    from configured
    where method = 'absolute'
),

absolute_scored as (
    select
        account_id,
        week_start,
        component,
        cast(null as {{ dbt.type_string() }}) as peer_group,
        case
            when directed_value is null or directed_baseline is null then null
            when directed_baseline = 0
                then
                    case when directed_value > 0 then 100.0 when directed_value < 0 then 0.0 else 50.0 end
            else 50.0 + 50.0 * greatest(-1.0, least(
                1.0,
                (directed_value - directed_baseline) / abs(directed_baseline)
            ))
        end as component_score
    from absolute_baselined
),

threshold_scored as (
    select
        account_id,
        week_start,
        component,
        cast(null as {{ dbt.type_string() }}) as peer_group,
        case
            when signal_value is null then null
            when direction = 'lower_is_better'
                then
                    case when signal_value <= green_limit then 100.0 when signal_value > red_limit then 0.0 else 50.0 end
            when signal_value >= green_limit then 100.0
            when signal_value < red_limit then 0.0
            else 50.0
        end as component_score
    from configured
    where method = 'threshold'
),

scored as (
    select * from relative_scored
    union all
    select * from absolute_scored
    union all
    select * from threshold_scored
),

final as (
    select
        configured.account_id,
        configured.week_start,
        configured.segment,
        configured.score_name,
        configured.component,
        configured.method,
        configured.signal_value,
        scored.peer_group,
        {{ exact('scored.component_score') }} as component_score
    from configured
    left join scored
        on
            configured.account_id = scored.account_id
            and configured.week_start = scored.week_start
            and configured.component = scored.component
)

select * from final
