{#- The lower-case column names of a relation, less `except` (at execution; [] while parsing, when
    the relation may not exist yet): a portable `select * exclude (...)`, which Spark lacks. -#}
{% macro columns_except(relation, except=[]) %}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set names = [] -%}
  {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower not in except -%}
    {%- do names.append(column.name | lower) -%}
  {%- endfor -%}
  {{ return(names) }}
{% endmacro %}

{#- The columns of a relation as {lower-case name: data type} (at execution; {} while parsing). -#}
{% macro column_types(relation) %}
  {%- if not execute -%}{{ return({}) }}{%- endif -%}
  {%- set types = {} -%}
  {%- for column in adapter.get_columns_in_relation(relation) -%}
    {%- do types.update({column.name | lower: column.data_type | lower}) -%}
  {%- endfor -%}
  {{ return(types) }}
{% endmacro %}
