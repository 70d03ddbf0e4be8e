-- One row per source: rows read from the landing files, rows kept in staging, rows quarantined
-- and duplicates removed, each counted on its own; rows_unaccounted (read - kept - quarantined -
-- duplicates removed) must be 0, and a test says so.
with counts as (
    {%- for source_name, source in landing_contract().items() %}
        {%- if source.file_counts %}
            -- loaded file by file: counted per file version as each file lands (the model's own doc)
            select
                '{{ source_name }}' as source_name,
                (select cast(coalesce(sum(rows_read), 0) as bigint) from {{ ref(source.file_counts) }}) as rows_read,
                (select count(*) from {{ ref(source.staging) }}) as rows_kept,
                (select cast(coalesce(sum(rows_quarantined), 0) as bigint) from {{ ref(source.file_counts) }}) as rows_quarantined,
                (select cast(coalesce(sum(duplicates), 0) as bigint) from {{ ref(source.file_counts) }}) as duplicates_removed,
                (select count(*) from {{ ref(source.file_counts) }}) as files_read
        {%- else %}
            select
                '{{ source_name }}' as source_name,
                (select count(*) from {{ ref(source.base) }}) as rows_read,
                (select count(*) from {{ ref(source.staging) }}) as rows_kept,
                (select count(*) from {{ ref(source.base) }} where quarantine_reason is not null) as rows_quarantined,
                (
                    select count(*)
                    from {{ ref(source.base) }}
                    where quarantine_reason is null
                ) - (
                    -- distinct keys: keys whose hash is seen once, plus an exact distinct count among
                    -- the few rows whose hash repeats (duplicates, collisions); no table of 100M keys
                    select count(*)
                    from (
                        select {{ fast_hash(source.key) }} as key_hash
                        from {{ ref(source.base) }}
                        where quarantine_reason is null
                        group by {{ fast_hash(source.key) }}
                        having count(*) = 1
                    ) as single_keys
                ) - (
                    select count(distinct {{ source.key }})
                    from {{ ref(source.base) }}
                    where
                        quarantine_reason is null
                        and {{ fast_hash(source.key) }} in (
                            select {{ fast_hash(source.key) }}
                            from {{ ref(source.base) }}
                            where quarantine_reason is null
                            group by {{ fast_hash(source.key) }}
                            having count(*) > 1
                        )
                ) as duplicates_removed,
                (select count(distinct _landing_file) from {{ ref(source.base) }}) as files_read
        {%- endif %}
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
            {%- for source_name in landing_contract() %}
                when '{{ source_name }}' then {{ quarantine_threshold(source_name, 'warn') }}
            {%- endfor %}
        end as quarantine_warn_share,
        case source_name
            {%- for source_name in landing_contract() %}
                when '{{ source_name }}' then {{ quarantine_threshold(source_name, 'error') }}
            {%- endfor %}
        end as quarantine_error_share
    from counts
)

select * from final
