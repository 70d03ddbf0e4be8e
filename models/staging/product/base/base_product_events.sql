-- One row per landing row of product_events, typed, with its quarantine reason. A table loaded file
-- by file (macros/incremental/incremental_models.sql): an incremental run reads only new or rewritten files, so a
-- weekly run does not parse a year of events again; the other sources are small and stay views.
{{ config(**incremental_by_landing_file_config('product_events')) }}
{%- set versions = landing_file_versions('product_events') if execute else {} %}
{%- set files_to_load = landing_files_to_load('product_events', versions) %}
{%- do record_rebuilt_rows(none if files_to_load is none else landing_files_filter(files_to_load)) %}

with source as (
    {{ landing_source(source('landing', 'product_events'), files_to_load) }}
),

versions as (
    {{ landing_file_versions_select(versions) }}
),

typed as (
    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('workspace_id') }} as workspace_id,
        {{ clean_text('user_id') }} as user_id,
        lower({{ clean_text('event_name') }}) as event_name,
        {{ clean_text('session_id') }} as session_id,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ parse_utc_timestamp(clean_text('occurred_at')) }} as occurred_at,
        source._landing_file,
        versions._landing_file_version,
        source._landing_problem
    from source
    left join versions on source._landing_file = versions._landing_file
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('event_id is null', 'missing event_id'),
            ('workspace_id is null', 'missing workspace_id'),
            ('user_id is null', 'missing user_id'),
            ('event_name is null', 'missing event_name'),
            ('occurred_at_text is null', 'missing occurred_at'),
            ('occurred_at_text is not null and occurred_at is null', 'occurred_at is not an ISO 8601 timestamp'),
        ]) }} as quarantine_reason
    from typed
)

select
    event_id,
    workspace_id,
    user_id,
    event_name,
    session_id,
    occurred_at,
    _landing_file,
    _landing_file_version,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['event_id', 'occurred_at_text', 'workspace_id', 'user_id', 'event_name', 'session_id']) }}
    end as raw_values
from checked
