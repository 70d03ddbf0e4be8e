-- seeds/segment_thresholds.csv and seeds/score_weights.csv need a `default` row: segments
-- without rows of their own fall back to it. Returns the seed that lacks it.
select 'segment_thresholds' as seed_missing_default
where not exists (select 1 from {{ ref('segment_thresholds') }} where segment = 'default')
union all
select 'score_weights' as seed_missing_default
where not exists (select 1 from {{ ref('score_weights') }} where segment = 'default')
