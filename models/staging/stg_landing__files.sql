-- One row per landing file: its source, path, modification time (its load time) and size.
-- dbt source freshness reads this (models/staging/_landing__sources.yml); it depends on the
-- files' timestamps, not their content, so no mart is built from it but rpt_source_freshness.
with files as (
    {{ landing_files_select() }}
)

select * from files
