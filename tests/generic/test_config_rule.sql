{#- A rule a configuration seed must follow. `failing_when` selects the rows that break it and
    `message` (a SQL expression) says, per row, which seed, which row and what to change. A
    broken rule stops the build with those messages (the test errors), since scoring on a
    broken configuration would publish wrong quadrants. -#}
{% test config_rule(model, failing_when, message) %}
{%- set failing_sql -%}
    select {{ message }} as failure_message
    from {{ model }}
    where {{ failing_when }}
{%- endset -%}
{{ raise_config_errors(failing_sql) }}
{{ failing_sql }}
{% endtest %}
