-- The last place personal data exists: user ids leave hashed, emails leave as their domain.
with users as (
    select * from {{ ref('base_product_users') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by user_id, workspace_id
            order by _landing_file desc, email_domain asc, created_at asc
        ) as export_rank
    from users
),

final as (
    select
        {{ hash_id('user_id') }} as user_hash,
        workspace_id,
        email_domain,
        created_at
    from ranked
    where export_rank = 1
)

select * from final
