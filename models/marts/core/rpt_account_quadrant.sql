-- One row per scored (top-level) account that has not churned (int_account_lifecycle): the latest complete week's usage and health scores,
-- every component score, coverage, quadrant, last week's quadrant and weeks in quadrant, with
-- the account's name, segment, ARR, CSM and renewal date. The quadrant mart BI tools read.
{%- set components = score_component_registry() | rejectattr('method', 'equalto', 'passthrough') | map(attribute='component') | list %}
with weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
    where is_latest_week and lifecycle_stage != 'churned'
),

accounts as (
    select * from {{ ref('int_account_hierarchy') }}
),

children as (
    select
        scored_account_id,
        count(*) as child_account_count
    from accounts
    where account_id != scored_account_id
    group by scored_account_id
),

final as (
    select
        weekly.account_id,
        accounts.account_name,
        weekly.segment,
        cast(weekly.arr as decimal(18, 2)) as arr,
        weekly.csm_owner,
        weekly.renewal_date,
        cast(weekly.days_to_renewal as integer) as days_to_renewal,
        cast(coalesce(children.child_account_count, 0) as integer) as child_account_count,
        weekly.week_start,
        weekly.usage_score,
        weekly.health_score,
        weekly.usage_coverage,
        weekly.health_coverage,
        weekly.quadrant,
        weekly.raw_quadrant,
        weekly.insufficient_data_reason,
        weekly.health_band,
        weekly.lifecycle_stage,
        weekly.previous_quadrant,
        weekly.weeks_in_quadrant,
        {%- for component in components %}
            weekly.{{ component }}_score{% if not loop.last %},{% endif %}
        {%- endfor %}
    from weekly
    inner join accounts on weekly.account_id = accounts.account_id
    left join children on weekly.account_id = children.scored_account_id
)

select * from final
