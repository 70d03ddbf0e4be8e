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

{#- files by path, numbered: the aggregates below keep a number per key, not a path -#}
{%- set file_numbers = {} %}
{%- for file in versions.keys() | sort %}{% do file_numbers.update({file: loop.index}) %}{% endfor %}
{%- set file_number -%}
    {%- if file_numbers | length == 0 -%}
        cast(null as integer)
    {%- else -%}
        case _landing_file{% for file, number in file_numbers.items() %} when '{{ file | replace("'", "''") }}' then {{ number }}{% endfor %} end
    {%- endif -%}
{%- endset %}

with recounted_rows as (
    select
        _landing_file,
        _landing_file_version,
        event_id,
        quarantine_reason
    from {{ ref('base_product_events') }}
    where {{ recounted }}
),

good_rows as (
    select
        event_id,
        {{ fast_hash('event_id') }} as key_hash,
        {{ file_number }} as file_number
    from recounted_rows
    where quarantine_reason is null
),

{%- if earlier_files | length > 0 %}

-- keys of the recounted files that a file kept as counted (one sorting before) already holds
seen_before as (
    select distinct event_id
    from {{ ref('base_product_events') }}
    where
        {{ landing_files_filter(earlier_files) }}
        and quarantine_reason is null
        and event_id in (select good_rows.event_id from good_rows)
),
{%- endif %}

new_rows as (
    select *
    from good_rows
    {%- if earlier_files | length > 0 %}
        where not exists (select 1 from seen_before where seen_before.event_id = good_rows.event_id)
    {%- endif %}
),

-- each key new to the recounted files, in the first file (by path) that holds it. Most keys
-- arrive once: grouped by their hash (no table of every key); only the keys whose hash repeats
-- (duplicates, and any collision) are grouped exactly.
key_hashes as (
    select
        key_hash,
        count(*) as copies,
        min(file_number) as file_number
    from new_rows
    group by key_hash
),

repeated_keys as (
    select
        event_id,
        min(file_number) as file_number
    from new_rows
    where key_hash in (select key_hashes.key_hash from key_hashes where key_hashes.copies > 1)
    group by event_id
),

first_files as (
    select file_number from key_hashes where copies = 1
    union all
    select file_number from repeated_keys
),

new_keys as (
    select
        file_number,
        count(*) as new_keys
    from first_files
    group by file_number
),

file_rows as (
    select
        _landing_file,
        {{ file_number }} as file_number,
        min(_landing_file_version) as _landing_file_version,
        count(*) as rows_read,
        count(quarantine_reason) as rows_quarantined,
        count(*) - count(quarantine_reason) as rows_good
    from recounted_rows
    group by _landing_file
),

final as (
    select
        file_rows._landing_file,
        file_rows._landing_file_version,
        file_rows.rows_read,
        file_rows.rows_quarantined,
        file_rows.rows_good,
        file_rows.rows_good - coalesce(new_keys.new_keys, 0) as duplicates
    from file_rows
    left join new_keys on file_rows.file_number = new_keys.file_number
)

select * from final
