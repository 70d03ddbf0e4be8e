-- One row per distinct optional field that could not be read, in a landing row that was kept: the
-- source, file, the row's key, the column, the value as it arrived and why. The field is null in
-- staging; the rest of the row counts. The columns checked are landing_checked_columns()
-- (macros/landing/field_issues.sql); a bad required field quarantines the whole row instead
-- (stg_landing__quarantine), so a quarantined row has no field issues here.
with field_issues as (
    {%- for source_name, columns in landing_checked_columns().items() %}
        {%- set source = landing_contract()[source_name] %}
        select
            '{{ source_name }}' as source_name,
            _landing_file as landing_file,
            {{ source.key }} as row_key,
            checked_columns.column_name,
            case checked_columns.column_name
                {%- for column in columns %}
                    when '{{ column }}' then _raw__{{ column }}
                {%- endfor %}
            end as field_value,
            case checked_columns.column_name
                {%- for column in columns %}
                    when '{{ column }}' then _issue__{{ column }}
                {%- endfor %}
            end as issue_reason
        from {{ ref(source.base) }}
        cross join (
            {%- for column in columns %}
                select '{{ column }}' as column_name
                {%- if not loop.last %}
                    union all
                {%- endif %}
            {%- endfor %}
        ) as checked_columns
        where
            quarantine_reason is null
            and (
                {%- for column in columns %}
                    (checked_columns.column_name = '{{ column }}' and _issue__{{ column }} is not null){% if not loop.last %} or{% endif %}
                {%- endfor %}
            )
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ dbt.hash(dbt.concat(['source_name', "'|'", 'landing_file', "'|'", 'row_key', "'|'", 'column_name', "'|'", "coalesce(field_value, '')"])) }} as field_issue_key,
        source_name,
        landing_file,
        row_key,
        column_name,
        field_value,
        issue_reason,
        count(*) as copies
    from field_issues
    group by source_name, landing_file, row_key, column_name, field_value, issue_reason
)

select * from final
