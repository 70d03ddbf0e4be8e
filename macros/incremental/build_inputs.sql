{#-
  `make build` skips dbt when nothing is new (scripts/configuration_state.py `unchanged`): the
  landing files, the project and its configuration are those of the last good, published build,
  and a build of the same input and as_of gives the same marts. It trusts run_state.build_inputs,
  which `make build` writes after a good build and publish. Any dbt run, seed, test or build on
  the warehouse (by hand, a selection, a failed build) may change it, so each one forgets that
  record as it starts: the next `make build` then builds.
-#}
{% macro forget_build_inputs() %}
  {%- if execute and target.type == 'duckdb' and flags.WHICH in ('build', 'run', 'seed', 'snapshot', 'test') -%}
    drop table if exists run_state.build_inputs
  {%- endif -%}
{% endmacro %}
