-- depends_on: {{ ref('snap_crm_accounts') }}
-- One row per CRM account x scored week: the account's segment, CSM owner, parent and renewal
-- date as the CRM had them at the week's end, from the versions snap_crm_accounts recorded (the
-- one in effect at the week's end). A week before the account's first recorded version takes
-- that first version, the earliest state known (`crm_state_source` 'earliest_known'; otherwise
-- 'as_recorded'). The latest week takes the export itself ('current_export': what the snapshot
-- records for it, and a corrected export of the same week counts), unless the snapshot holds a
-- version from a later week (a rebuild at a past as_of: the CRM as it was recorded then). So
-- does an account the snapshot has not recorded (after a `dbt run`, which runs no snapshot), and
-- every account before the snapshot's first run.
{%- set snapshot_table = load_relation(ref('snap_crm_accounts')) if execute else none %}
{#- no snapshot yet (a `dbt run` before any `dbt build` or `dbt snapshot`): no recorded version #}
{%- set no_versions -%}
    (
        select
            account_id, segment, csm_owner, parent_account_id, renewal_date,
            cast(null as {{ dbt.type_string() }}) as dbt_scd_id,
            cast(null as timestamp) as dbt_valid_from,
            cast(null as timestamp) as dbt_valid_to
        from {{ ref('stg_crm__accounts') }}
        where 1 = 0
    ) as no_versions
{%- endset %}
with accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

versions as (
    select * from {{ snapshot_table if snapshot_table is not none else no_versions }}
),

weeks as (
    select * from {{ ref('int_weeks') }}
),

-- a rebuild at a past as_of: the snapshot already holds a version from after its latest week
is_past_rebuild as (
    select count(*) > 0 as is_past_rebuild
    from versions
    cross join weeks
    where weeks.is_latest_week and cast(versions.dbt_valid_from as date) > weeks.week_end
),

-- each account's first version (of two recorded by builds at the same as_of, the one replaced)
ranked_versions as (
    select
        account_id,
        dbt_scd_id,
        dbt_valid_from,
        row_number() over (
            partition by account_id
            order by dbt_valid_from, case when dbt_valid_to is null then 1 else 0 end, dbt_valid_to
        ) as version_rank
    from versions
),

first_versions as (
    select
        account_id,
        dbt_scd_id as first_scd_id,
        dbt_valid_from as first_valid_from
    from ranked_versions
    where version_rank = 1
),

-- the version in effect at the week's end, else (before the first) the first version
week_versions as (
    select
        versions.account_id,
        weeks.week_start,
        versions.segment,
        versions.csm_owner,
        versions.parent_account_id,
        versions.renewal_date,
        case
            when cast(versions.dbt_valid_from as date) <= weeks.week_end then 'as_recorded'
            else 'earliest_known'
        end as crm_state_source
    from versions
    inner join first_versions on versions.account_id = first_versions.account_id
    cross join weeks
    where
        (
            cast(versions.dbt_valid_from as date) <= weeks.week_end
            and (versions.dbt_valid_to is null or cast(versions.dbt_valid_to as date) > weeks.week_end)
        )
        or (
            versions.dbt_scd_id = first_versions.first_scd_id
            and cast(first_versions.first_valid_from as date) > weeks.week_end
        )
),

from_export as (
    select
        accounts.account_id,
        weeks.week_start,
        accounts.segment,
        accounts.csm_owner,
        accounts.parent_account_id,
        accounts.renewal_date,
        'current_export' as crm_state_source
    from accounts
    cross join weeks
    cross join is_past_rebuild
    left join first_versions on accounts.account_id = first_versions.account_id
    where
        first_versions.account_id is null
        or (weeks.is_latest_week and not is_past_rebuild.is_past_rebuild)
),

final as (
    select week_versions.*
    from week_versions
    left join from_export
        on
            week_versions.account_id = from_export.account_id
            and week_versions.week_start = from_export.week_start
    where from_export.account_id is null
    union all
    select * from from_export
)

select * from final
