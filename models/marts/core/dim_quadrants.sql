-- One row per quadrant label, in display order: the four quadrants with the side of the
-- segment's cut-off each score falls on, Insufficient Data, and Not scored (analyses only),
-- with the colour and meaning tools show. seeds/quadrants.csv is the one place these are named:
-- the dashboard and the summary read them from here.
with quadrants as (
    select * from {{ ref('quadrants') }}
),

final as (
    select
        quadrant,
        display_order,
        kind,
        usage_side,
        health_side,
        colour,
        description
    from quadrants
)

select * from final
