-- One row per scored account x week (the account-week spine): every column of the six signal
-- models side by side, the evidence behind the scores. Each signal model holds one family:
--   int_usage_signals        product usage (licenses, features, sessions, workflows, consistency)
--   int_nps_signals          NPS and its trend
--   int_ticket_signals       support tickets opened and open ticket age
--   int_touchpoint_signals   CSM touchpoint recency and sentiment
--   int_cs_platform_signals  the CS platform's health score and renewal risk
--   int_renewal_arr_signals  ARR, its trend, and the next renewal
-- Each family's columns are taken as they are (less the keys), so a signal expression added to
-- a family model arrives here, and in int_component_scores, by itself. (The columns are read
-- from the built relations, so the linter, which renders without them, sees the joins unused.)
{%- set families = [
    ('usage', ref('int_usage_signals')),
    ('nps', ref('int_nps_signals')),
    ('tickets', ref('int_ticket_signals')),
    ('touchpoints', ref('int_touchpoint_signals')),
    ('cs_platform', ref('int_cs_platform_signals')),
    ('renewal_arr', ref('int_renewal_arr_signals')),
] %}
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

usage as (
    select * from {{ ref('int_usage_signals') }}
),

nps as (
    select * from {{ ref('int_nps_signals') }}
),

tickets as (
    select * from {{ ref('int_ticket_signals') }}
),

touchpoints as (
    select * from {{ ref('int_touchpoint_signals') }}
),

cs_platform as (
    select * from {{ ref('int_cs_platform_signals') }}
),

renewal_arr as (
    select * from {{ ref('int_renewal_arr_signals') }}
),

final as (
    select
        spine.account_id,
        spine.week_start,
        spine.week_end,
        spine.is_latest_week,
        spine.segment,
        spine.csm_owner{% for alias, relation in families %}{% for column in columns_except(relation, ['account_id', 'week_start']) %},
        {{ alias }}.{{ column }}{% endfor %}{% endfor %}
    from spine
    left join usage on spine.account_id = usage.account_id and spine.week_start = usage.week_start  -- noqa: ST11
    left join nps on spine.account_id = nps.account_id and spine.week_start = nps.week_start  -- noqa: ST11
    left join tickets on spine.account_id = tickets.account_id and spine.week_start = tickets.week_start  -- noqa: ST11
    left join touchpoints on spine.account_id = touchpoints.account_id and spine.week_start = touchpoints.week_start  -- noqa: ST11
    left join cs_platform on spine.account_id = cs_platform.account_id and spine.week_start = cs_platform.week_start  -- noqa: ST11
    left join renewal_arr on spine.account_id = renewal_arr.account_id and spine.week_start = renewal_arr.week_start  -- noqa: ST11
)

select * from final
