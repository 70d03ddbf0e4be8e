-- One row per usage or health component (not the product_usage passthrough): its coefficient
-- in a logistic regression of churn on the score's components `churn_lookback_days` before
-- renewal, and the weight that suggests. Components enter standardised, (score - 50) / 50, a
-- component without data at 0 (neutral); one regression per score, ridge penalty
-- `validation_l2_penalty`, fitted by Newton's method (macros/statistics/logistic_regression.sql). A protective
-- component has a negative coefficient; suggested weight = -coefficient / the sum over the
-- score's protective components (0 for a component whose higher score goes with more churn).
-- Fitted during `dbt build` and `dbt run` only (other commands, a build with no scored renewal,
-- and one whose renewals all churned or all renewed leave the coefficients null).
{%- set lookback = var('churn_lookback_days') %}
{%- set fits = {} %}
{%- set do_fit = execute and flags.WHICH in ('build', 'run') %}
{%- for score_name in ['usage', 'health'] %}
    {%- set components = score_component_registry() | selectattr('score_name', 'equalto', score_name)
        | rejectattr('method', 'equalto', 'passthrough') | map(attribute='component') | list %}
    {%- set training_sql %}
        select
            case when snapshots.is_churned then 1 else 0 end as churned,
            {%- for component in components %}
                cast(coalesce(max(case when component_scores.component = '{{ component }}' then component_scores.component_score end) - 50, 0) as double) / 50
                    as {{ component }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ ref('int_renewal_snapshots') }} as snapshots
        left join {{ ref('int_component_scores') }} as component_scores
            on
                snapshots.scored_account_id = component_scores.account_id
                and snapshots.snapshot_week_start = component_scores.week_start
        where
            snapshots.days_before_renewal = {{ lookback }}
            and snapshots.snapshot_week_start is not null
        group by snapshots.account_id, snapshots.renewal_date, snapshots.is_churned
    {%- endset %}
    {%- set fit = fit_logistic_regression(training_sql, components, 'churned', l2=var('validation_l2_penalty')) if do_fit else none %}
    {%- do fits.update({score_name: {'components': components, 'fit': fit}}) %}
{%- endfor %}
with fitted as (
    {%- for score_name in ['usage', 'health'] %}
        {%- set entry = fits[score_name] %}
        {%- for component in entry.components %}
    select
        '{{ score_name }}' as score_name,
        '{{ component }}' as component,
        cast({{ entry.fit.slopes[loop.index0] if entry.fit and entry.fit.slopes[loop.index0] is not none else 'null' }} as double) as coefficient,
        cast({{ entry.fit.intercept if entry.fit and entry.fit.intercept is not none else 'null' }} as double) as intercept,
        {{ entry.fit.rows if entry.fit else 0 }} as renewals_in_fit,
        {{ entry.fit.iterations if entry.fit else 0 }} as fit_iterations,
        {{ (entry.fit.converged if entry.fit else false) | lower }} as is_fit_converged
            {%- if not loop.last %}
    union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
    union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        score_name,
        component,
        {{ round_to('coefficient', 6) }} as coefficient,
        {{ round_to('intercept', 6) }} as intercept,
        renewals_in_fit,
        fit_iterations,
        is_fit_converged,
        {{ round_to('
            case when coefficient < 0 then -coefficient else 0 end
            / nullif(sum(case when coefficient < 0 then -coefficient else 0 end) over (partition by score_name), 0)
        ', 4) }} as suggested_weight
    from fitted
)

select * from final
