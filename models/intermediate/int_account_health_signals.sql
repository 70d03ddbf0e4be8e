-- One row per scored account x week (the account-week spine): the health signals as of the
-- week's end, pooled over the account and its child accounts. Events (NPS responses, tickets,
-- touchpoints) are pooled; the CS platform's score and renewal risk of each CRM account are
-- averaged weighted by that account's ARR (equal weights where ARR is unknown).
-- Null = no data; a source with no rows at all gives null, never zero.
{%- set nps_days = var('nps_window_days') | int %}
{%- set ticket_days = var('ticket_window_days') | int %}
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

arr_weekly as (
    select * from {{ ref('int_account_arr_weekly') }}
),

nps as (
    select
        hierarchy.scored_account_id,
        cast(responses.responded_at as date) as responded_date,
        responses.nps_category
    from {{ ref('stg_crm__nps_responses') }} as responses
    inner join hierarchy on responses.account_id = hierarchy.account_id
),

tickets as (
    select
        hierarchy.scored_account_id,
        cast(tickets.opened_at as date) as opened_date,
        cast(tickets.closed_at as date) as closed_date
    from {{ ref('stg_crm__support_tickets') }} as tickets
    inner join hierarchy on tickets.account_id = hierarchy.account_id
),

touchpoints as (
    select
        hierarchy.scored_account_id,
        touchpoints.touchpoint_id,
        touchpoints.occurred_at,
        touchpoints.sentiment
    from {{ ref('stg_crm__csm_touchpoints') }} as touchpoints
    inner join hierarchy on touchpoints.account_id = hierarchy.account_id
),

platform_scores as (
    select
        hierarchy.scored_account_id,
        scores.account_id,
        scores.scored_at,
        scores.health_score,
        -- a score without a renewal risk says nothing about it: null, not 'not at risk'
        case scores.renewal_risk when 'high' then 1.0 when 'medium' then 0.0 when 'low' then 0.0 end as renewal_risk_flag
    from {{ ref('stg_crm__cs_health_scores') }} as scores
    inner join hierarchy on scores.account_id = hierarchy.account_id
),

member_arr as (
    select
        account_id,
        month_start,
        sum(arr) as arr
    from {{ ref('stg_crm__arr_monthly') }}
    group by account_id, month_start
),

source_rows as (
    select
        (select count(*) from {{ ref('stg_crm__support_tickets') }}) as ticket_rows,
        (select count(*) from {{ ref('stg_crm__csm_touchpoints') }}) as touchpoint_rows
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

ticket_windows as (
    select
        spine.account_id,
        spine.week_start,
        sum(case when tickets.opened_date > {{ add_days('spine.week_end', -ticket_days) }} then 1 else 0 end) as tickets_opened,
        avg(case
            when tickets.closed_date is null or tickets.closed_date > spine.week_end
                then {{ days_between('tickets.opened_date', 'spine.week_end') }}
        end) as open_ticket_age
    from spine
    inner join tickets
        on
            spine.account_id = tickets.scored_account_id
            and tickets.opened_date <= spine.week_end
    group by spine.account_id, spine.week_start
),

touchpoints_ranked as (
    select
        spine.account_id,
        spine.week_start,
        touchpoints.occurred_at,
        touchpoints.sentiment,
        row_number() over (
            partition by spine.account_id, spine.week_start
            order by touchpoints.occurred_at desc, touchpoints.touchpoint_id desc
        ) as recency_rank
    from spine
    inner join touchpoints
        on
            spine.account_id = touchpoints.scored_account_id
            and cast(touchpoints.occurred_at as date) <= spine.week_end
),

last_touchpoint as (
    select * from touchpoints_ranked where recency_rank = 1
),

platform_ranked as (
    select
        spine.account_id,
        spine.week_start,
        spine.week_end,
        platform_scores.account_id as member_account_id,
        platform_scores.health_score,
        platform_scores.renewal_risk_flag,
        row_number() over (
            partition by spine.account_id, spine.week_start, platform_scores.account_id
            order by platform_scores.scored_at desc
        ) as recency_rank
    from spine
    inner join platform_scores
        on
            spine.account_id = platform_scores.scored_account_id
            and cast(platform_scores.scored_at as date) <= spine.week_end
            and cast(platform_scores.scored_at as date) > {{ add_days('spine.week_end', -var('cs_score_window_days')) }}
),

platform_weighted as (
    select
        platform_ranked.account_id,
        platform_ranked.week_start,
        cast(sum({{ exact('platform_ranked.health_score') }} * coalesce(nullif(member_arr.arr, 0), 1)) as double)
        / sum(coalesce(nullif(member_arr.arr, 0), 1)) as cs_platform_health,
        cast(sum({{ exact('platform_ranked.renewal_risk_flag') }} * coalesce(nullif(member_arr.arr, 0), 1)) as double)
        / sum(case when platform_ranked.renewal_risk_flag is not null then coalesce(nullif(member_arr.arr, 0), 1) end) as renewal_risk
    from platform_ranked
    left join member_arr
        on
            platform_ranked.member_account_id = member_arr.account_id
            and cast({{ dbt.date_trunc('month', 'platform_ranked.week_end') }} as date) = member_arr.month_start
    where platform_ranked.recency_rank = 1
    group by platform_ranked.account_id, platform_ranked.week_start
),

-- the family's next renewal on or after the week's end (a parent's past date must not hide a
-- child's coming one)
renewals as (
    select
        spine.account_id,
        spine.week_start,
        min(accounts.renewal_date) as renewal_date
    from spine
    inner join hierarchy on spine.account_id = hierarchy.scored_account_id
    inner join accounts on hierarchy.account_id = accounts.account_id
    where accounts.renewal_date >= spine.week_end
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
        end as nps_trend,
        case when source_rows.ticket_rows > 0 then coalesce(ticket_windows.tickets_opened, 0) end as tickets_opened,
        case when source_rows.ticket_rows > 0 then coalesce(ticket_windows.open_ticket_age, 0) end as open_ticket_age,
        -- an account never touched counts from its creation (or the first scored week)
        case
            when source_rows.touchpoint_rows > 0 then
            {{ days_between(
                'coalesce(cast(last_touchpoint.occurred_at as date), cast(accounts.created_at as date), spine.week_start)',
                'spine.week_end'
            ) }}
        end as touchpoint_recency,
        case last_touchpoint.sentiment
            when 'positive' then 1.0
            when 'neutral' then 0.5
            when 'negative' then 0.0
        end as touchpoint_sentiment,
        last_touchpoint.sentiment as last_touchpoint_sentiment,
        platform_weighted.renewal_risk,
        case
            when arr_weekly.arr_before > 0 then
                cast(arr_weekly.arr - arr_weekly.arr_before as double) / arr_weekly.arr_before
        end as arr_trend,
        platform_weighted.cs_platform_health,
        renewals.renewal_date,
        case
            when renewals.renewal_date >= spine.week_end then
                {{ days_between('spine.week_end', 'renewals.renewal_date') }}
        end as days_to_renewal
    from spine
    cross join source_rows
    left join accounts on spine.account_id = accounts.account_id
    left join nps_windows
        on
            spine.account_id = nps_windows.account_id
            and spine.week_start = nps_windows.week_start
    left join ticket_windows
        on
            spine.account_id = ticket_windows.account_id
            and spine.week_start = ticket_windows.week_start
    left join last_touchpoint
        on
            spine.account_id = last_touchpoint.account_id
            and spine.week_start = last_touchpoint.week_start
    left join platform_weighted
        on
            spine.account_id = platform_weighted.account_id
            and spine.week_start = platform_weighted.week_start
    left join arr_weekly
        on
            spine.account_id = arr_weekly.account_id
            and spine.week_start = arr_weekly.week_start
    left join renewals
        on
            spine.account_id = renewals.account_id
            and spine.week_start = renewals.week_start
)

select * from final
