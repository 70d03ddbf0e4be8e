-- A ticket exported again (closed since, fix shipped since) is replaced by the last file's row.
with tickets as (
    select * from {{ ref('base_support_tickets') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by ticket_id
            order by _landing_file desc, closed_at desc nulls last, fix_shipped_at desc nulls last, account_id asc, opened_at asc
        ) as export_rank
    from tickets
),

final as (
    select
        ticket_id,
        account_id,
        priority,
        product_area,
        opened_at,
        closed_at,
        fix_shipped_at
    from ranked
    where export_rank = 1
)

select * from final
