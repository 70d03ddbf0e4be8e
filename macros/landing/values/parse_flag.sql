{#- A flag as exports write it, case-insensitive: true / false, 1 / 0, yes / no, y / n (and t / f,
    as PostgreSQL writes booleans). A boolean; null when the text is missing or none of these.
    Staging and a preflight read flags through this macro only. -#}
{% macro parse_flag(text) -%}
  case
    when lower({{ text }}) in ('true', '1', 'yes', 'y', 't') then true
    when lower({{ text }}) in ('false', '0', 'no', 'n', 'f') then false
  end
{%- endmacro %}

{#- What parse_flag reads, in words (for messages and the field issues). -#}
{% macro flag_expected() %}{{ return('a flag (true/false, 1/0, yes/no, y/n)') }}{% endmacro %}
