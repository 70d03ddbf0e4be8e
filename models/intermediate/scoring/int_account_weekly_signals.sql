-- One row per scored account x week (the account-week spine): every column of the six signal
-- models side by side, the evidence behind the scores. The signal models each hold one family:
--   int_usage_signals        product usage (licenses, features, sessions, workflows, consistency)
--   int_nps_signals          NPS and its trend
--   int_ticket_signals       support tickets opened and open ticket age
--   int_touchpoint_signals   CSM touchpoint recency and sentiment
--   int_cs_platform_signals  the CS platform's health score and renewal risk
--   int_renewal_arr_signals  ARR, its trend, and the next renewal
-- Each family's columns are taken as they are (less the keys), so a signal expression added to
-- a family model arrives here, and in int_component_scores, by itself.
{%- set families = [
    ref('int_usage_signals'),
    ref('int_nps_signals'),
    ref('int_ticket_signals'),
    ref('int_touchpoint_signals'),
    ref('int_cs_platform_signals'),
    ref('int_renewal_arr_signals'),
] %}
{%- set keys = ['account_id', 'week_start'] %}
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

{% for family in families %}
family_{{ loop.index }} as (
    select * from {{ family }}
),

{% endfor -%}
final as (
    select
        spine.account_id,
        spine.week_start,
        spine.week_end,
        spine.is_latest_week,
        spine.segment
        {%- for family in families %}
            {%- set alias = 'family_' ~ loop.index %}
            {%- for column in columns_except(family, keys) %},
        {{ alias }}.{{ column }}
            {%- endfor %}
        {%- endfor %}
    from spine
    {%- for family in families %}
    left join family_{{ loop.index }}
        on
            spine.account_id = family_{{ loop.index }}.account_id
            and spine.week_start = family_{{ loop.index }}.week_start
    {%- endfor %}
)

select * from final
