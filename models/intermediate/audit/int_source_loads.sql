-- One row per landing source: rows read, kept and quarantined (stg_landing__reconciliation),
-- when its files were last loaded and their size (stg_landing__files), and its newest record on
-- or before as_of, with whether the source records activity (events, NPS, tickets,
-- touchpoints, CS scores: its newest record says how fresh it is). It reads every data source's
-- staging model, one row each, from the input contract (macros/landing/contract.sql); the
-- configuration source (account_mapping_overrides) has no records in time and is not here.
{%- set data_sources = {} %}
{%- for source_name, source in landing_contract().items() if not source.get('configuration') %}
    {%- do data_sources.update({source_name: source}) %}
{%- endfor %}
with reconciliation as (
    select * from {{ ref('stg_landing__reconciliation') }}
    where source_name in ({% for source_name in data_sources %}'{{ source_name }}'{% if not loop.last %}, {% endif %}{% endfor %})
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
    {%- for source_name, source in data_sources.items() %}
        select
            '{{ source_name }}' as source_name,
            cast(max({{ source.record_time }}) as timestamp) as last_record_at,
            {{ 'true' if source.get('activity') else 'false' }} as records_activity
        from {{ ref(source.staging) }}
        -- on or before as_of, as a plain comparison the scan can filter (no cast of every row)
        where {{ source.record_time }} < (select {{ add_days('as_of_date', 1) }} from parameters)
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
        records.records_activity
    from reconciliation
    left join files on reconciliation.source_name = files.source_name
    left join records on reconciliation.source_name = records.source_name
)

select * from final
