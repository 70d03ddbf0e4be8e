-- One row per scored account x week (the account-week spine): the NPS signals as of the week's
-- end, pooled over the account and its child accounts. `nps` is promoters % minus detractors %
-- over the trailing `nps_window_days` (180); `nps_trend` its change against the 180 days before.
-- Null = no response in the window (no data), never 0.
{%- set nps_days = var('nps_window_days') | int %}
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

responses as (
    select * from {{ ref('stg_crm__nps_responses') }}
),

nps as (
    select
        hierarchy.scored_account_id,
        cast(responses.responded_at as date) as responded_date,
        responses.nps_category
    from responses
    inner join hierarchy on responses.account_id = hierarchy.account_id
),

nps_windows as (
    select
        spine.account_id,
        spine.week_start,
        sum(case when nps.responded_date > {{ add_days('spine.week_end', -nps_days) }} then 1 else 0 end) as responses,
        sum(case when nps.responded_date > {{ add_days('spine.week_end', -nps_days) }} and nps.nps_category = 'promoter' then 1 else 0 end) as promoters,
        sum(case when nps.responded_date > {{ add_days('spine.week_end', -nps_days) }} and nps.nps_category = 'detractor' then 1 else 0 end) as detractors,
        sum(case when nps.responded_date <= {{ add_days('spine.week_end', -nps_days) }} then 1 else 0 end) as prior_responses,
        sum(case when nps.responded_date <= {{ add_days('spine.week_end', -nps_days) }} and nps.nps_category = 'promoter' then 1 else 0 end) as prior_promoters,
        sum(case when nps.responded_date <= {{ add_days('spine.week_end', -nps_days) }} and nps.nps_category = 'detractor' then 1 else 0 end) as prior_detractors
    from spine
    inner join nps
        on
            spine.account_id = nps.scored_account_id
            and nps.responded_date <= spine.week_end
            and nps.responded_date > {{ add_days('spine.week_end', -2 * nps_days) }}
    group by spine.account_id, spine.week_start
),

final as (
    select
        spine.account_id,
        spine.week_start,
        coalesce(nps_windows.responses, 0) as nps_responses,
        case
            when nps_windows.responses > 0 then
                cast(100 * (nps_windows.promoters - nps_windows.detractors) as double) / nps_windows.responses
        end as nps,
        case
            when nps_windows.responses > 0 and nps_windows.prior_responses > 0 then
                cast(100 * (nps_windows.promoters - nps_windows.detractors) as double) / nps_windows.responses
                - cast(100 * (nps_windows.prior_promoters - nps_windows.prior_detractors) as double) / nps_windows.prior_responses
        end as nps_trend
    from spine
    left join nps_windows
        on
            spine.account_id = nps_windows.account_id
            and spine.week_start = nps_windows.week_start
)

select * from final
