-- One row per landing source: files and rows read, kept and quarantined, when its files were
-- last loaded, its newest record, and that record's age in days at as_of. A source with no
-- file, or an activity source (events, NPS, tickets, touchpoints, CS scores) whose newest record
-- is older than `freshness_error_days` (10) at as_of, is stale: its signals describe the past.
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
    {%- for source_name, source in landing_contract().items() %}
        select
            '{{ source_name }}' as source_name,
            cast(max({{ source.record_time }}) as timestamp) as last_record_at,
            {{ 'true' if source.get('activity') else 'false' }} as records_activity
        from {{ ref(source.staging) }}
        where cast({{ source.record_time }} as date) <= (select as_of_date from parameters)
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
            or (
                records.records_activity
                and {{ days_between('records.last_record_at', 'parameters.as_of_date') }} > {{ var('freshness_error_days') }}
            ),
            false
        ) as is_stale
    from reconciliation
    cross join parameters
    left join files on reconciliation.source_name = files.source_name
    left join records on reconciliation.source_name = records.source_name
)

select * from final
