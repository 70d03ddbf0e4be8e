-- One row per identity override (external id x CRM account x where it was written): the rows of
-- seeds/account_mapping_overrides.csv (RevOps' own) and of the landing folder's
-- account_mapping_overrides files (overrides that travel with a data set, the demo's among them),
-- read alike: int_workspace_account_candidates gives both the same precedence.
with seed_overrides as (
    select * from {{ ref('account_mapping_overrides') }}
),

landing_overrides as (
    select * from {{ ref('stg_crm__account_mapping_overrides') }}
),

final as (
    select distinct
        external_id_type,
        external_id,
        account_id,
        'seeds/account_mapping_overrides.csv' as override_origin
    from seed_overrides
    union all
    select
        external_id_type,
        external_id,
        account_id,
        landing_file as override_origin
    from landing_overrides
)

select * from final
