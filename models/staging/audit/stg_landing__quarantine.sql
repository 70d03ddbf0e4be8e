-- One row per distinct landing row that could not be typed or keyed, with its source, file, raw
-- values and every reason that applies. Nothing is dropped silently: see stg_landing__reconciliation.
with quarantined as (
    {%- for source_name, source in landing_contract().items() %}
        select
            '{{ source_name }}' as source_name,
            _landing_file as landing_file,
            raw_values,
            quarantine_reason
        from {{ ref(source.base) }}
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
