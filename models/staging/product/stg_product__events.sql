-- At-least-once delivery: an event_id seen twice counts once (the earliest occurrence wins,
-- ties broken on content and file so the pick is deterministic).
-- Incremental by week (macros/incremental/incremental_models.sql): a run rebuilds every week holding rows of a landing
-- file version it has not seen (a new or rewritten file, however old its events) or of a version
-- that is gone, and the weeks from the last one built minus `incremental_lookback_weeks`. A copy of
-- an event already kept in a week not rebuilt stays that copy, as a full refresh keeps the earliest.
{{ config(**incremental_by_week_config()) }}
{%- if is_incremental() %}
    {%- set first_week = incremental_first_week(['_landing_file_version']) %}
    {%- set changed_weeks_sql %}
        select distinct {{ week_start('occurred_at') }}
        from {{ ref('base_product_events') }}
        where
            quarantine_reason is null
            and _landing_file_version not in (select distinct previous._landing_file_version from {{ this }} as previous)
        union
        select distinct week_start
        from {{ this }}
        where _landing_file_version not in (select distinct landed._landing_file_version from {{ ref('base_product_events') }} as landed)
    {%- endset %}
    {%- set changed_weeks = incremental_changed_weeks(changed_weeks_sql) %}
{%- endif %}
{%- set in_rebuilt_weeks = is_rebuilt_week(week_start('occurred_at'), first_week, changed_weeks) if is_incremental() else '1 = 1' %}
{%- do record_rebuilt_rows(is_rebuilt_week('week_start', first_week, changed_weeks) if is_incremental() else none) %}

{%- set columns = ['event_id', 'workspace_id', 'user_id', 'event_name', 'session_id', 'occurred_at', '_landing_file', '_landing_file_version'] %}

with events as (
    select {{ columns | join(', ') }}
    from {{ ref('base_product_events') }}
    where
        quarantine_reason is null
        and {{ in_rebuilt_weeks }}
),

-- Most ids arrive once: only ids whose hash is seen more than once (the duplicates, and any hash
-- collision) go through the ranking window, which at 100M events costs far more than finding them.
repeated_hashes as (
    select {{ fast_hash('event_id') }} as id_hash
    from events
    group by {{ fast_hash('event_id') }}
    having count(*) > 1
),

repeated_ranked as (
    select
        *,
        row_number() over (
            partition by event_id
            order by occurred_at, workspace_id, user_id, event_name, session_id, _landing_file
        ) as delivery_rank
    from events
    where {{ fast_hash('event_id') }} in (select repeated_hashes.id_hash from repeated_hashes)
),

deduplicated as (
    select {{ columns | join(', ') }}
    from events
    where {{ fast_hash('event_id') }} not in (select repeated_hashes.id_hash from repeated_hashes)
    union all
    select {{ columns | join(', ') }}
    from repeated_ranked
    where delivery_rank = 1
),

{%- if is_incremental() %}

kept_elsewhere as (
    select previous.event_id
    from {{ this }} as previous
    inner join deduplicated on previous.event_id = deduplicated.event_id
    where not {{ is_rebuilt_week('previous.week_start', first_week, changed_weeks) }}
),
{%- endif %}

-- Ids are hashed once per distinct value and joined back: a few hundred thousand users hash far
-- faster than a hundred million events.
user_hashes as (
    select
        user_id,
        {{ hash_id('user_id') }} as user_hash
    from (select distinct user_id from deduplicated) as distinct_users
),

session_hashes as (
    select
        session_id,
        {{ hash_id('session_id') }} as source_session_hash
    from (select distinct session_id from deduplicated where session_id is not null) as distinct_sessions
),

final as (
    select
        deduplicated.event_id,
        deduplicated.workspace_id,
        user_hashes.user_hash,
        session_hashes.source_session_hash,
        deduplicated.event_name,
        deduplicated.occurred_at,
        cast(deduplicated.occurred_at as date) as event_date,
        {{ week_start('deduplicated.occurred_at') }} as week_start,
        deduplicated._landing_file_version
    from deduplicated
    inner join user_hashes on deduplicated.user_id = user_hashes.user_id
    left join session_hashes on deduplicated.session_id = session_hashes.session_id
    {%- if is_incremental() %}
        where deduplicated.event_id not in (select kept_elsewhere.event_id from kept_elsewhere)
    {%- endif %}
)

select * from final
