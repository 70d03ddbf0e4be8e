{#- A source's quarantined share (stg_landing__reconciliation) is at most its `level` (warn or
    error) threshold, var quarantine_thresholds. The failing rows are one message per source
    above it: the share against the threshold, the files, the top reasons with an example row
    and the setting to change (macros/data_quality/). Above error the build stops with them;
    above warn they are printed as warnings. -#}
{% test quarantine_share_within_threshold(model, level) %}
{%- set quarantine = ref('stg_landing__quarantine') -%}
{%- set failing_sql -%}
    select
        source_name,
        rows_read,
        rows_quarantined,
        quarantined_share,
        quarantine_{{ level }}_share as threshold_share
    from {{ model }}
    where quarantined_share > quarantine_{{ level }}_share
{%- endset -%}
{%- if data_quality_checks_run() -%}
    {%- set messages = [] -%}
    {%- for row in run_query(failing_sql ~ ' order by source_name').rows -%}
        {%- do messages.append(quarantine_stop_message(row, level, quarantine)) -%}
    {%- endfor -%}
    {%- do report_data_quality('Quarantine above the ' ~ level ~ ' threshold', messages, level) -%}
    {{ data_quality_message_rows(messages) }}
{%- else %}
select
    'source ' || source_name || ': ' || cast(rows_quarantined as {{ dbt.type_string() }}) || ' of '
    || cast(rows_read as {{ dbt.type_string() }}) || ' rows quarantined, above the {{ level }} threshold (var quarantine_thresholds)' as failure_message
from ({{ failing_sql }}) as failing
{%- endif %}
{% endtest %}
