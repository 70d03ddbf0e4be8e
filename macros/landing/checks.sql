{#- Landing checks that stop the build with a message naming the folder, file or column. -#}

{#- on-run-start: a landing folder holding no file of the input contract is a mistake (a wrong
    path, an export that did not arrive), not an empty warehouse. Stop with a message saying so. -#}
{% macro check_landing_dir() %}
  {%- if execute and flags.WHICH in ('build', 'run', 'seed', 'test') -%}
    {{ return(adapter.dispatch('check_landing_dir', 'usage_health')()) }}
  {%- endif -%}
{% endmacro %}

{% macro landing_dir_empty_message() %}
  {{ return("The landing folder '" ~ landing_dir() ~ "' holds no file of the input contract (expected files such as product_events.csv, crm_accounts.csv or product_events/*.parquet). Check the landing_dir var (--vars '{landing_dir: DIR}') or $USAGE_HEALTH_LANDING, or run `make demo-data` for the demo files.") }}
{% endmacro %}

{#- A landing file must hold every required column of its source (under the name its mapping
    gives, if it has one): stop naming the file and the column. -#}
{% macro landing_check_required_columns(source_name, file, header, mapping=none) %}
  {%- set problems = landing_missing_columns(source_name, header, mapping) -%}
  {%- if problems -%}
    {%- set fix = "Add the column to the export, or point the mapping at the column that holds it (README, \"Column mappings\"), and rebuild." if mapping else "Add the column (or rename the one that holds it) and rebuild." -%}
    {{ exceptions.raise_compiler_error("Landing file " ~ file ~ " (source " ~ source_name ~ ") " ~ problems[0] ~ ". Columns found: " ~ (header | join(', ')) ~ ". " ~ fix) }}
  {%- endif -%}
{% endmacro %}

{% macro duckdb__check_landing_dir() %}
  {%- set patterns = [] -%}
  {%- for source_name, stem in landing_file_stems().items() -%}
    {%- for pattern in ['.csv', '.parquet', '/*.csv', '/*.parquet'] -%}
      {%- do patterns.append("select file from glob('" ~ landing_dir() ~ "/" ~ stem ~ pattern ~ "')") -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- set found = run_query('select count(*) from (' ~ (patterns | join(' union all ')) ~ ')').columns[0].values()[0] -%}
  {%- if found == 0 -%}
    {{ exceptions.raise_compiler_error(landing_dir_empty_message()) }}
  {%- endif -%}
{% endmacro %}
