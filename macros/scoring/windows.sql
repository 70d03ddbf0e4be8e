{#- Signal windows derived from vars. -#}

{#- The trailing usage window in whole weeks (usage_window_days / 7, rounded up). -#}
{% macro usage_window_weeks() %}
  {{ return((var('usage_window_days') / 7) | round(0, 'ceil') | int) }}
{% endmacro %}
