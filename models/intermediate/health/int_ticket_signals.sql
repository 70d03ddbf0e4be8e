-- One row per scored account x week (the account-week spine): the support-ticket signals as of
-- the week's end, pooled over the account and its child accounts: tickets opened in the
-- trailing `ticket_window_days` (30) and the mean age in days of the tickets still open at the
-- week's end (0 when none). With no ticket export at all both are null (no data), never 0.
{%- set ticket_days = var('ticket_window_days') | int %}
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

all_tickets as (
    select * from {{ ref('int_support_tickets') }}
),

tickets as (
    select
        scored_account_id,
        cast(opened_at as date) as opened_date,
        cast(closed_at as date) as closed_date
    from all_tickets
),

source_rows as (
    select count(*) as ticket_rows from all_tickets
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

final as (
    select
        spine.account_id,
        spine.week_start,
        case when source_rows.ticket_rows > 0 then coalesce(ticket_windows.tickets_opened, 0) end as tickets_opened,
        case when source_rows.ticket_rows > 0 then coalesce(ticket_windows.open_ticket_age, 0) end as open_ticket_age
    from spine
    cross join source_rows
    left join ticket_windows
        on
            spine.account_id = ticket_windows.account_id
            and spine.week_start = ticket_windows.week_start
)

select * from final
