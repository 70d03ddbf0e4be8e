{#- Data-quality checks a user's own data can trip: each says what and where in one message (the
    source, the file, the share against its threshold, the top reasons with an example, and the
    setting that changes the threshold), not a bare "Got 1 result". A check is a dbt test whose
    failing rows are those messages (one column, `failure_message`): at severity error it stops
    the build with them (the test errors and dbt prints them in its summary), at severity warn
    it prints them where it runs and again at the end of the run (on-run-end,
    report_data_quality_warnings). -#}

{#- Stop the build (severity error) or warn (severity warn) with the messages, under a title. -#}
{% macro report_data_quality(title, messages, severity) %}
  {%- if messages | length == 0 -%}{{ return(none) }}{%- endif -%}
  {%- set text = title ~ ":\n" ~ (messages | join("\n")) -%}
  {%- if severity == 'error' -%}
    {{ exceptions.raise_compiler_error(text) }}
  {%- else -%}
    {%- do exceptions.warn(text) -%}
  {%- endif -%}
{% endmacro %}

{#- The messages as the test's failing rows: `select '<message>' as failure_message` each (none:
    no row). -#}
{% macro data_quality_message_rows(messages) -%}
  {%- if messages | length == 0 -%}
    select cast(null as {{ dbt.type_string() }}) as failure_message where 1 = 0
  {%- else -%}
    {%- for message in messages %}
    select '{{ dbt.escape_single_quotes(message) }}' as failure_message
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
  {%- endif -%}
{%- endmacro %}

{#- Whether a test's checks run now (dbt build or test, with the relations built). -#}
{% macro data_quality_checks_run() %}
  {{ return(execute and flags.WHICH in ('build', 'test')) }}
{% endmacro %}

{#- on-run-end: the messages of every test that warned with a `failure_message` column, again at
    the end of the run, where dbt itself only says "Got 1 result, configured to warn". -#}
{% macro report_data_quality_warnings(results) %}
  {%- if execute and flags.WHICH in ('build', 'test') -%}
    {%- for result in results if result.status == 'warn' and result.node.resource_type == 'test' and result.node.compiled_code -%}
      {%- set failing = run_query(result.node.compiled_code) -%}
      {%- if 'failure_message' in failing.column_names -%}
        {%- for message in failing.columns['failure_message'].values() if message -%}
          {{ log("Warning in test " ~ result.node.name ~ ":\n" ~ message, info=true) }}
        {%- endfor -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
{% endmacro %}

{#- A share as a percentage with one decimal ("12.5%"; a share too small to show, "under 0.1%"). -#}
{% macro format_share(share) -%}
  {%- if share and share > 0 and share < 0.0005 -%}under 0.1%{%- else -%}{{ "%.1f%%" | format((share or 0) * 100) }}{%- endif -%}
{%- endmacro %}

{#- "1 row", "40 rows". -#}
{% macro count_rows(n) -%}
  {{ n }} {{ 'row' if n == 1 else 'rows' }}
{%- endmacro %}

{#- A share to suggest as a new threshold: the share observed, rounded up to the next hundredth
    and one more (at most 1), so the same data would pass. -#}
{% macro share_to_allow(share) -%}
  {%- set hundredths = ((share or 0) * 100) | round(0, 'ceil') | int -%}
  {{ "%.2f" | format([hundredths + 1, 100] | min / 100) }}
{%- endmacro %}
