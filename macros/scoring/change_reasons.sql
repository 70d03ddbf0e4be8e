{#- The three components that moved an account's scores most between two weeks, in words, for
    the rows of `pairs` (a CTE with account_id, week_start and comparison_week_start): one row
    per pair with `change_reasons`, e.g. "license utilization 78 -> 41 (-7.4 points of usage
    score); nps 60 -> 35 (-5.0 points of health score)". A component's move is the change of
    its contribution to its score (int_component_contributions), so the three explain the
    score changes in points; ties go to the component name. Shared by the movements and the
    alerts, which compare with different weeks. -#}
{% macro change_reasons(pairs) -%}
    select
        ranked.account_id,
        ranked.week_start,
        ranked.comparison_week_start,
        concat_ws(
            '; ',
            max(case when ranked.change_rank = 1 then ranked.reason end),
            max(case when ranked.change_rank = 2 then ranked.reason end),
            max(case when ranked.change_rank = 3 then ranked.reason end)
        ) as change_reasons
    from (
        select
            pairs.account_id,
            pairs.week_start,
            pairs.comparison_week_start,
            replace(now_week.component, '_', ' ') || ' '
            || coalesce(cast(cast({{ round_to('then_week.component_score', 0) }} as bigint) as {{ dbt.type_string() }}), 'no data')
            || ' -> '
            || coalesce(cast(cast({{ round_to('now_week.component_score', 0) }} as bigint) as {{ dbt.type_string() }}), 'no data')
            || ' (' || case when now_week.contribution >= then_week.contribution then '+' else '' end
            || cast({{ round_to('now_week.contribution - then_week.contribution', 1) }} as {{ dbt.type_string() }})
            || ' points of ' || now_week.score_name || ' score)' as reason,
            row_number() over (
                partition by pairs.account_id, pairs.week_start, pairs.comparison_week_start
                order by abs(now_week.contribution - then_week.contribution) desc, now_week.component
            ) as change_rank
        from (
            select distinct
                account_id,
                week_start,
                comparison_week_start
            from {{ pairs }}
        ) as pairs
        inner join {{ ref('int_component_contributions') }} as now_week
            on
                pairs.account_id = now_week.account_id
                and pairs.week_start = now_week.week_start
        inner join {{ ref('int_component_contributions') }} as then_week
            on
                pairs.account_id = then_week.account_id
                and pairs.comparison_week_start = then_week.week_start
                and now_week.component = then_week.component
        where abs(now_week.contribution - then_week.contribution) >= 0.05
    ) as ranked
    where ranked.change_rank <= 3
    group by ranked.account_id, ranked.week_start, ranked.comparison_week_start
{%- endmacro %}
