-- One row per landing source: files and rows read, kept and quarantined, when its files were
-- last loaded, its newest record, and that record's age in days at as_of. A source whose
-- newest record is older than `freshness_error_days` (10) at as_of is stale: its signals
-- describe the past (dashboards show a banner).
{%- set record_times = [
    ('product_events', 'stg_product__events', 'occurred_at'),
    ('product_workspaces', 'stg_product__workspaces', 'created_at'),
    ('product_users', 'stg_product__users', 'created_at'),
    ('crm_accounts', 'stg_crm__accounts', 'created_at'),
    ('arr_monthly', 'stg_crm__arr_monthly', 'month_start'),
    ('nps_responses', 'stg_crm__nps_responses', 'responded_at'),
    ('support_tickets', 'stg_crm__support_tickets', 'opened_at'),
    ('csm_touchpoints', 'stg_crm__csm_touchpoints', 'occurred_at'),
    ('cs_health_scores', 'stg_crm__cs_health_scores', 'scored_at'),
    ('renewal_outcomes', 'stg_crm__renewal_outcomes', 'renewal_date'),
] %}
with reconciliation as (
    select * from {{ ref('stg_landing__reconciliation') }}
),

files as (
    select
        source_name,
        max(file_modified_at) as last_loaded_at,
        sum(size_bytes) as size_bytes
    from {{ ref('stg_landing__files') }}
    group by source_name
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

records as (
    {%- for source_name, model, column in record_times %}
    select
        '{{ source_name }}' as source_name,
        cast(max({{ column }}) as timestamp) as last_record_at
    from {{ ref(model) }}
    where cast({{ column }} as date) <= (select as_of_date from parameters)
        {%- if not loop.last %}
    union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        reconciliation.source_name,
        reconciliation.files_read,
        reconciliation.rows_read,
        reconciliation.rows_kept,
        reconciliation.rows_quarantined,
        reconciliation.duplicates_removed,
        files.size_bytes,
        files.last_loaded_at,
        records.last_record_at,
        parameters.as_of_date,
        {{ days_between('records.last_record_at', 'parameters.as_of_date') }} as record_age_days,
        coalesce(
            reconciliation.files_read = 0
            or {{ days_between('records.last_record_at', 'parameters.as_of_date') }} > {{ var('freshness_error_days') }},
            false
        ) as is_stale
    from reconciliation
    cross join parameters
    left join files on reconciliation.source_name = files.source_name
    left join records on reconciliation.source_name = records.source_name
)

select * from final
