-- One row per landing file: its source, path, modification time (its load time) and size.
-- dbt source freshness reads this (models/staging/_landing__sources.yml); it depends on the
-- files' timestamps, not their content, so no mart is built from it but rpt_source_freshness.
{%- set landing_relations = [] %}
{%- for source_name in landing_contract() %}
    {%- do landing_relations.append(source('landing', source_name)) %}
{%- endfor %}
with files as (
    {{ landing_files_select(landing_relations) }}
)

select * from files
