-- Identity overrides from the landing folder: one row per external id x account (a row sent
-- twice counts once; two accounts for one external id stay two rows, a conflict that
-- int_workspace_account_candidates reports and counts for neither).
with overrides as (
    select * from {{ ref('base_account_mapping_overrides') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by external_id_type, external_id, account_id
            order by _landing_file desc, note asc
        ) as export_rank
    from overrides
),

final as (
    select
        external_id_type,
        external_id,
        account_id,
        note,
        _landing_file as landing_file
    from ranked
    where export_rank = 1
)

select * from final
