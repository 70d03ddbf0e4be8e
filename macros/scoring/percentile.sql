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
