{#- Schemas are named by layer (staging, intermediate, marts, config) without the target's
    prefix, so BI tools find `marts.rpt_account_quadrant` whatever the profile says. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
