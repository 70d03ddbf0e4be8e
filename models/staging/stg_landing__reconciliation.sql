-- One row per source: rows read from the landing files, rows kept in staging, rows quarantined
-- and duplicates removed, each counted on its own; rows_unaccounted (read - kept - quarantined -
-- duplicates removed) must be 0, and a test says so.
{% set sources = [
    ('product_events', 'base_product_events', 'stg_product__events', "event_id"),
    ('product_workspaces', 'base_product_workspaces', 'stg_product__workspaces', "workspace_id"),
    ('product_users', 'base_product_users', 'stg_product__users', "user_id || '|' || workspace_id"),
    ('crm_accounts', 'base_crm_accounts', 'stg_crm__accounts', "account_id"),
    ('arr_monthly', 'base_arr_monthly', 'stg_crm__arr_monthly', "account_id || '|' || cast(month_start as varchar) || '|' || coalesce(subscription_id, '')"),
    ('nps_responses', 'base_nps_responses', 'stg_crm__nps_responses', "response_id"),
    ('support_tickets', 'base_support_tickets', 'stg_crm__support_tickets', "ticket_id"),
    ('csm_touchpoints', 'base_csm_touchpoints', 'stg_crm__csm_touchpoints', "touchpoint_id"),
    ('cs_health_scores', 'base_cs_health_scores', 'stg_crm__cs_health_scores', "account_id || '|' || cast(scored_at as varchar)"),
    ('renewal_outcomes', 'base_renewal_outcomes', 'stg_crm__renewal_outcomes', "account_id || '|' || cast(renewal_date as varchar)"),
] %}

with counts as (
    {%- for source_name, base_model, staging_model, key in sources %}
        select
            '{{ source_name }}' as source_name,
            (select count(*) from {{ ref(base_model) }}) as rows_read,
            (select count(*) from {{ ref(staging_model) }}) as rows_kept,
            (select count(*) from {{ ref(base_model) }} where quarantine_reason is not null) as rows_quarantined,
            (
                select count(*) - count(distinct {{ key }})
                from {{ ref(base_model) }}
                where quarantine_reason is null
            ) as duplicates_removed,
            (select count(distinct _landing_file) from {{ ref(base_model) }}) as files_read
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        source_name,
        files_read,
        rows_read,
        rows_kept,
        rows_quarantined,
        duplicates_removed,
        rows_read - rows_kept - rows_quarantined - duplicates_removed as rows_unaccounted,
        case when rows_read > 0 then cast(rows_quarantined as double) / rows_read end as quarantined_share,
        case source_name
            {%- for source_name, base_model, staging_model, key in sources %}
            when '{{ source_name }}' then {{ quarantine_threshold(source_name, 'warn') }}
            {%- endfor %}
        end as quarantine_warn_share,
        case source_name
            {%- for source_name, base_model, staging_model, key in sources %}
            when '{{ source_name }}' then {{ quarantine_threshold(source_name, 'error') }}
            {%- endfor %}
        end as quarantine_error_share
    from counts
)

select * from final
