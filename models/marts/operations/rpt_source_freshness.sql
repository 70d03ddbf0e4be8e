-- One row per landing source: files and rows read, kept and quarantined, when its files were
-- last loaded, its newest record, and that record's age in days at as_of. A source with no
-- file, or an activity source (events, NPS, tickets, touchpoints, CS scores) whose newest record
-- is older than `freshness_error_days` (10) at as_of, is stale: its signals describe the past.
with loads as (
    select * from {{ ref('int_source_loads') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

final as (
    select
        loads.source_name,
        loads.files_read,
        loads.rows_read,
        loads.rows_kept,
        loads.rows_quarantined,
        loads.duplicates_removed,
        loads.size_bytes,
        loads.last_loaded_at,
        loads.last_record_at,
        parameters.as_of_date,
        {{ days_between('loads.last_record_at', 'parameters.as_of_date') }} as record_age_days,
        coalesce(
            loads.files_read = 0
            or (
                loads.records_activity
                and {{ days_between('loads.last_record_at', 'parameters.as_of_date') }} > {{ var('freshness_error_days') }}
            ),
            false
        ) as is_stale
    from loads
    cross join parameters
)

select * from final
