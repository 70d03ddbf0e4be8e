{#- The message for a source whose quarantined share is above its threshold (`level` warn or
    error): the source, the share against the threshold, the files with their quarantined rows,
    the top three reasons with counts and an example row, where every row is, and the setting
    that changes the threshold (var quarantine_thresholds). `row` is a row of
    stg_landing__reconciliation. -#}
{% macro quarantine_stop_message(row, level, quarantine_relation) %}
  {%- set source_name = row['source_name'] -%}
  {%- set files = run_query(
      "select landing_file, sum(copies) as quarantined_rows from " ~ quarantine_relation
      ~ " where source_name = '" ~ source_name ~ "' group by landing_file order by quarantined_rows desc, landing_file limit 5") -%}
  {%- set reasons = run_query(
      "select quarantine_reason, sum(copies) as quarantined_rows, min(raw_values) as example from " ~ quarantine_relation
      ~ " where source_name = '" ~ source_name ~ "' group by quarantine_reason order by quarantined_rows desc, quarantine_reason limit 3") -%}
  {%- set file_texts = [] -%}
  {%- for f in files.rows -%}
    {%- do file_texts.append(f['landing_file'] ~ " (" ~ count_rows(f['quarantined_rows']) ~ ")") -%}
  {%- endfor -%}
  {%- set reason_texts = [] -%}
  {%- for r in reasons.rows -%}
    {%- do reason_texts.append("    - " ~ r['quarantine_reason'] ~ ": " ~ count_rows(r['quarantined_rows']) ~ ", e.g. " ~ r['example']) -%}
  {%- endfor -%}
  {%- set thresholds = var('quarantine_thresholds') -%}
  {%- set default = thresholds.get('default', {}) -%}
  {%- set own = thresholds.get(source_name, {}) -%}
  {%- set warn_share = own.get('warn', default.get('warn')) -%}
  {%- set error_share = own.get('error', default.get('error')) -%}
  {%- set allowed = share_to_allow(row['quarantined_share']) | float -%}
  {%- set new_warn = allowed if level == 'warn' else [warn_share, allowed] | min -%}
  {%- set new_error = [error_share, allowed] | max -%}
  {%- set suggestion = "{quarantine_thresholds: {default: {warn: " ~ default.get('warn') ~ ", error: " ~ default.get('error') ~ "}, "
      ~ source_name ~ ": {warn: " ~ new_warn ~ ", error: " ~ new_error ~ "}}}" -%}
  {{ return(
    "  Source " ~ source_name ~ ": " ~ row['rows_quarantined'] ~ " of " ~ row['rows_read'] ~ " rows quarantined ("
    ~ format_share(row['quarantined_share']) ~ "), above its " ~ level ~ " threshold of " ~ format_share(row['threshold_share']) ~ ".\n"
    ~ "  Files: " ~ (file_texts | join(', ')) ~ ".\n"
    ~ "  Top reasons:\n" ~ (reason_texts | join('\n')) ~ "\n"
    ~ "  Every row: select * from " ~ quarantine_relation.schema ~ "." ~ quarantine_relation.identifier ~ " where source_name = '" ~ source_name ~ "'\n"
    ~ "  Fix the export and rebuild, or accept this share with var quarantine_thresholds (dbt_project.yml, or --vars '"
    ~ suggestion ~ "')."
  ) }}
{% endmacro %}
