{#- The as_of var, parsed once. -#}

{#- The `as_of` var as a date literal, or null when it is not set. A value that is not a
    YYYY-MM-DD date stops the build with a message saying so. -#}
{% macro as_of_literal() -%}
  {%- set as_of = var('as_of') | string | trim -%}
  {%- if as_of in ('', 'None', 'none', 'null') -%}
    cast(null as date)
  {%- elif modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of) -%}
    cast('{{ as_of }}' as date)
  {%- else -%}
    {{ exceptions.raise_compiler_error("var as_of is '" ~ as_of ~ "': give a date as YYYY-MM-DD (--vars '{as_of: 2026-11-15}'), or leave it out to use the last date in the data.") }}
  {%- endif -%}
{%- endmacro %}
