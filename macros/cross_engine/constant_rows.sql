{#- A relation of constants, written the same way on every engine. -#}

{#- Rows of constants: `column` holds each value, `<column>_order` its position (1-based). -#}
{% macro constant_rows(column, values) -%}
  {%- for value in values %}
  select
      {{ "'" ~ value ~ "'" if value is string else value }} as {{ column }},
      {{ loop.index }} as {{ column }}_order
  {%- if not loop.last %}
  union all
  {%- endif %}
  {%- endfor %}
{%- endmacro %}
