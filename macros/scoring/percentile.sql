{#- The percentile of a value among its peers, 0-100, ties sharing the middle of their ranks:
    `rank` is rank() ascending, `ties` the peers with the same value, `peers` the group's size.
    A group of one scores 50. The rule of relative scores (int_component_scores) and of use-case
    adoption (fct_use_case_adoption_weekly). -#}
{% macro tied_percentile(rank, ties, peers) -%}
    case
        when {{ peers }} = 1 then 50.0
        else 100.0 * ({{ rank }} - 1 + cast({{ ties }} - 1 as double) / 2) / ({{ peers }} - 1)
    end
{%- endmacro %}

{#- The rank, ties and peers tied_percentile reads, among a row's segment peers (`segment_partition`)
    and among all accounts (`overall_partition`), ordered by `order_by`: the columns
    <prefix>_rank, <prefix>_ties and <prefix>_peers for prefix segment and overall. Every window
    of a group uses one ordering, so the rows are sorted once per group: the ties are the peers at
    or below the value (cume_dist times the peers) less those below it (rank - 1), not a count over
    a partition by the value, which sorted the rows a second time (issue 17). -#}
{% macro peer_ranks(segment_partition, overall_partition, order_by) -%}
    {%- for prefix, partition in [('segment', segment_partition), ('overall', overall_partition)] %}
        {%- set ordered = 'partition by ' ~ (partition | join(', ')) ~ ' order by ' ~ order_by %}
        {%- set whole = ordered ~ ' rows between unbounded preceding and unbounded following' %}
        rank() over ({{ ordered }}) as {{ prefix }}_rank,
        cast(round(cume_dist() over ({{ ordered }}) * count(*) over ({{ whole }})) as {{ dbt.type_bigint() }})
        - rank() over ({{ ordered }}) + 1 as {{ prefix }}_ties,
        count(*) over ({{ whole }}) as {{ prefix }}_peers{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
