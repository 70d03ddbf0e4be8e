-- One row per scored account x week (the account-week spine): the CSM touchpoint signals as of
-- the week's end, pooled over the account and its child accounts: days since the last
-- touchpoint and that touchpoint's sentiment, as a number from 0 to 1 (staging's -1..1 score
-- moved onto 0-1: positive 1, neutral 0.5, negative 0) and in words. An account never touched counts from its creation; without a created_at, from
-- the start of the record (the first touchpoint in the export or the first scored week,
-- whichever is earlier): it has gone untouched at least that long, never "a few days".
-- With no touchpoint export at all the recency is null (no data).
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

all_touchpoints as (
    select * from {{ ref('stg_crm__csm_touchpoints') }}
),

touchpoints as (
    select
        hierarchy.scored_account_id,
        all_touchpoints.touchpoint_id,
        all_touchpoints.occurred_at,
        all_touchpoints.sentiment,
        all_touchpoints.sentiment_score
    from all_touchpoints
    inner join hierarchy on all_touchpoints.account_id = hierarchy.account_id
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

source_rows as (
    select
        count(*) as touchpoint_rows,
        min(cast(occurred_at as date)) as first_touchpoint_date
    from all_touchpoints
),

-- where "never touched" starts counting for an account without a created_at
record_start as (
    select
        case
            when source_rows.first_touchpoint_date < parameters.first_week_start then source_rows.first_touchpoint_date
            else parameters.first_week_start
        end as record_start_date
    from source_rows
    cross join parameters
),

touchpoints_ranked as (
    select
        spine.account_id,
        spine.week_start,
        touchpoints.occurred_at,
        touchpoints.sentiment,
        touchpoints.sentiment_score,
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

final as (
    select
        spine.account_id,
        spine.week_start,
        case
            when source_rows.touchpoint_rows > 0 then
            {{ days_between(
                'coalesce(cast(last_touchpoint.occurred_at as date), cast(accounts.created_at as date), record_start.record_start_date)',
                'spine.week_end'
            ) }}
        end as touchpoint_recency,
        (cast(last_touchpoint.sentiment_score as double) + 1) / 2 as touchpoint_sentiment,
        last_touchpoint.sentiment as last_touchpoint_sentiment
    from spine
    cross join source_rows
    cross join record_start
    left join accounts on spine.account_id = accounts.account_id
    left join last_touchpoint
        on
            spine.account_id = last_touchpoint.account_id
            and spine.week_start = last_touchpoint.week_start
)

select * from final
