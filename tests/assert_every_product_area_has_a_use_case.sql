-- Every product area of seeds/features.csv has its row in seeds/use_cases.csv (use-case adoption
-- groups features by it, and a product area without a row would drop its features silently).
-- Returns one row per missing product area, with what to do.
with features as (
    select * from {{ ref('features') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
)

select distinct
    features.product_area,
    'seeds/features.csv: product_area ''' || features.product_area
    || ''' has no row in seeds/use_cases.csv. Add one (is_scored false to leave it out of use-case adoption).' as failure_message
from features
left join use_cases on features.product_area = use_cases.product_area
where use_cases.product_area is null
