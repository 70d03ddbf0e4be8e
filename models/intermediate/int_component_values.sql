-- One row per scored account x week x component (except product_usage, which is the usage
-- score itself and joins in int_account_weekly_scores): the signal value the component scores,
-- null when there is no data. Long form so one scoring model serves every component.
with signals as (
    select * from {{ ref('int_account_weekly_signals') }}
),

unpivoted as (
    {%- for component in all_score_components() if component != 'product_usage' %}
        select
            account_id,
            week_start,
            segment,
            '{{ component }}' as component,
            cast({{ component }} as double) as signal_value
        from signals
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from unpivoted
