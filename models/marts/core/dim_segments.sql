-- One row per segment in the CRM (plus `default`): the quadrant cut-offs and health bands the
-- scores were judged against (seeds/segment_thresholds.csv, a segment without a row of its own
-- falls back to `default`). The dashboard draws the cut-off lines from here.
with settings as (
    select * from {{ ref('int_segment_settings') }}
),

final as (
    select
        segment,
        settings_source,
        usage_cutoff,
        health_cutoff,
        quadrant_band,
        health_red_below,
        health_green_at,
        min_coverage,
        alert_renewal_days
    from settings
)

select * from final
