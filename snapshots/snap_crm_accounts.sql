{#- The CRM accounts as each build found them (issue 14): crm_accounts is exported as current state,
    so without this a past week would see today's segment, CSM, parent and renewal date. A new
    version is recorded whenever one of the check columns changes, dated by the end of the latest
    complete week the build scored (`observed_at`, from as_of: never the wall clock, so the same
    input and as_of record the same rows). Only the first build to score a week records: a
    rebuild of the same week (a corrected export) or at an older as_of records nothing, so
    history only ever extends forward and each version has its own dbt_scd_id (key + date);
    int_crm_accounts_weekly reads the export itself for the latest week. Snapshots survive
    --full-refresh. -#}
{% snapshot snap_crm_accounts %}
{{ config(
    schema='snapshots',
    unique_key='account_id',
    strategy='check',
    check_cols=['segment', 'csm_owner', 'parent_account_id', 'renewal_date'],
    updated_at='observed_at',
) }}

{%- set existing = adapter.get_relation(this.database, this.schema, this.identifier) if execute else none %}

with accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

observed as (
    select
        accounts.account_id,
        accounts.segment,
        accounts.csm_owner,
        accounts.parent_account_id,
        accounts.renewal_date,
        cast({{ add_days('parameters.latest_week_start', 6) }} as timestamp) as observed_at
    from accounts
    cross join parameters
)

select * from observed
{%- if existing is not none %}
where observed_at > (select max(dbt_valid_from) from {{ this }})
{%- endif %}

{% endsnapshot %}
