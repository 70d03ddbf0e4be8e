-- One row per landing row that could not be typed or keyed, with its source, file, raw values and
-- every reason that applies. Nothing is dropped silently: see stg_landing__reconciliation.
{% set bases = [
    ('product_events', 'base_product_events'),
    ('product_workspaces', 'base_product_workspaces'),
    ('product_users', 'base_product_users'),
    ('crm_accounts', 'base_crm_accounts'),
    ('arr_monthly', 'base_arr_monthly'),
    ('nps_responses', 'base_nps_responses'),
    ('support_tickets', 'base_support_tickets'),
    ('csm_touchpoints', 'base_csm_touchpoints'),
    ('cs_health_scores', 'base_cs_health_scores'),
    ('renewal_outcomes', 'base_renewal_outcomes'),
] %}

with quarantined as (
    {%- for source_name, base_model in bases %}
        select
            '{{ source_name }}' as source_name,
            _landing_file as landing_file,
            raw_values,
            quarantine_reason
        from {{ ref(base_model) }}
        where quarantine_reason is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ dbt.hash(dbt.concat(['source_name', "'|'", 'landing_file', "'|'", 'raw_values'])) }} as quarantine_row_key,
        source_name,
        landing_file,
        raw_values,
        quarantine_reason,
        count(*) as copies
    from quarantined
    group by source_name, landing_file, raw_values, quarantine_reason
)

select * from final
