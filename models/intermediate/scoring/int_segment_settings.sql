-- One row per segment present in the CRM (plus `default`): the quadrant cut-offs, bands, peer-group
-- size, coverage minimum and alert rules of seeds/segment_thresholds.csv. A segment without a row
-- of its own takes the `default` row (settings_source says which).
with thresholds as (
    select * from {{ ref('segment_thresholds') }}
),

segments as (
    select distinct segment from {{ ref('stg_crm__accounts') }}
    union
    select 'default' as segment
),

final as (
    select
        segments.segment,
        coalesce(own.segment, fallback.segment) as settings_source,
        coalesce(own.usage_cutoff, fallback.usage_cutoff) as usage_cutoff,
        coalesce(own.health_cutoff, fallback.health_cutoff) as health_cutoff,
        coalesce(own.quadrant_band, fallback.quadrant_band) as quadrant_band,
        coalesce(own.health_red_below, fallback.health_red_below) as health_red_below,
        coalesce(own.health_green_at, fallback.health_green_at) as health_green_at,
        coalesce(own.min_peer_group_size, fallback.min_peer_group_size) as min_peer_group_size,
        coalesce(own.min_coverage, fallback.min_coverage) as min_coverage,
        coalesce(own.alert_drop_points, fallback.alert_drop_points) as alert_drop_points,
        coalesce(own.alert_drop_weeks, fallback.alert_drop_weeks) as alert_drop_weeks,
        coalesce(own.alert_renewal_days, fallback.alert_renewal_days) as alert_renewal_days
    from segments
    left join thresholds as own on segments.segment = own.segment
    left join thresholds as fallback on fallback.segment = 'default'
)

select * from final
