-- One row per product_events landing file (its version): rows read, rows quarantined, good rows,
-- and duplicates (good rows whose event_id an earlier row holds: a row before it in the same file,
-- or a row of a file whose path sorts before). Summed, they are the product_events line of
-- stg_landing__reconciliation, counted from base_product_events on their own.
-- Incremental by landing file (issue 17): a run recounts the files from the first one (by path)
-- that is new, rewritten or gone; files before it keep their counts, and are read only for the
-- keys the recounted files share with them. A weekly file that sorts after the others (a date in
-- its name) is the only one read.
{{ config(**incremental_by_landing_file_config('product_events')) }}
{%- set versions = landing_file_versions('product_events') if execute else {} %}
{#- Files are picked by lists of paths (landing_files_filter: what Spark's metastore accepts). -#}
{%- set recounted_files = versions.keys() | sort | list %}
{%- set earlier_files = [] %}
{%- if execute and is_incremental() %}
    {%- do require_incremental_columns(['_landing_file_version']) %}
    {%- set counted = {} %}
    {%- for row in run_query('select _landing_file, _landing_file_version from ' ~ this).rows %}
        {%- do counted.update({row[0]: row[1]}) %}
    {%- endfor %}
    {%- set changed = [] %}
    {%- for file, version in versions.items() if counted.get(file) != version %}{% do changed.append(file) %}{% endfor %}
    {%- for file in counted if file not in versions %}{% do changed.append(file) %}{% endfor %}
    {%- set recount_from = changed | sort | first if changed | length > 0 else none %}
    {%- set recounted_files = [] %}
    {%- for file in versions.keys() | sort %}
        {%- if recount_from is not none and file >= recount_from %}{% do recounted_files.append(file) %}
        {%- elif recount_from is not none %}{% do earlier_files.append(file) %}{% endif %}
    {%- endfor %}
{%- endif %}
{%- set recounted = landing_files_filter(recounted_files) if execute else '1 = 1' %}

with recounted_rows as (
    select
        _landing_file,
        _landing_file_version,
        event_id,
        quarantine_reason
    from {{ ref('base_product_events') }}
    where {{ recounted }}
),

file_rows as (
    select
        _landing_file,
        min(_landing_file_version) as _landing_file_version,
        count(*) as rows_read,
        count(quarantine_reason) as rows_quarantined,
        count(*) - count(quarantine_reason) as rows_good
    from recounted_rows
    group by _landing_file
),

good_rows as (
    select
        _landing_file,
        event_id
    from recounted_rows
    where quarantine_reason is null
),
{%- if earlier_files | length > 0 %}

-- keys of the recounted files that a file kept as counted (one sorting before) already holds:
-- every row of theirs here is a duplicate
seen_before as (
    select distinct event_id
    from {{ ref('base_product_events') }}
    where
        {{ landing_files_filter(earlier_files) }}
        and quarantine_reason is null
        and event_id in (select good_rows.event_id from good_rows)
),
{%- endif %}

-- good rows whose key no earlier file holds
fresh_rows as (
    select
        _landing_file,
        event_id,
        {{ fast_hash('event_id') }} as key_hash
    from good_rows
    {%- if earlier_files | length > 0 %}
        where not exists (select 1 from seen_before where seen_before.event_id = good_rows.event_id)
    {%- endif %}
),

-- Most keys arrive once: a row whose key hash is seen once is a new key of its file. Only the
-- rows whose hash repeats (duplicates, and any collision) are grouped by key, exactly, to find
-- the first file (by path) that holds each key: no per-row work on a hundred million rows
-- beyond one count by hash.
repeated_hashes as (
    select key_hash
    from fresh_rows
    group by key_hash
    having count(*) > 1
),

repeated_rows as (
    select
        _landing_file,
        event_id
    from fresh_rows
    where key_hash in (select repeated_hashes.key_hash from repeated_hashes)
),

first_files as (
    select
        event_id,
        min(_landing_file) as _landing_file
    from repeated_rows
    group by event_id
),

fresh_per_file as (
    select
        _landing_file,
        count(*) as fresh_rows
    from fresh_rows
    group by _landing_file
),

repeated_per_file as (
    select
        _landing_file,
        count(*) as repeated_rows
    from repeated_rows
    group by _landing_file
),

firsts_per_file as (
    select
        _landing_file,
        count(*) as first_keys
    from first_files
    group by _landing_file
),

-- new keys of a file = its fresh rows - its rows whose hash repeats + the repeated keys it holds first
final as (
    select
        file_rows._landing_file,
        file_rows._landing_file_version,
        file_rows.rows_read,
        file_rows.rows_quarantined,
        file_rows.rows_good,
        file_rows.rows_good - (
            coalesce(fresh_per_file.fresh_rows, 0)
            - coalesce(repeated_per_file.repeated_rows, 0)
            + coalesce(firsts_per_file.first_keys, 0)
        ) as duplicates
    from file_rows
    left join fresh_per_file on file_rows._landing_file = fresh_per_file._landing_file
    left join repeated_per_file on file_rows._landing_file = repeated_per_file._landing_file
    left join firsts_per_file on file_rows._landing_file = firsts_per_file._landing_file
)

select * from final
