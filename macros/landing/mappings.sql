{#-
  Column mappings (issue 15): a landing source whose columns carry other names, read at read time.

  The var `landing_mappings` (or $USAGE_HEALTH_MAPPINGS, comma-separated) names the mappings a
  landing folder needs: a shipped one (a macro `landing_mapping__<name>`, in mappings/), a YAML
  file (`*.yml` / `*.yaml`, relative to the landing folder unless absolute), or a mapping written
  inline in the var. Each is the same YAML:

    description: what export this is
    sources:
      <contract source>:
        file: Account                  # optional: the export's file name, instead of <source>
        where:                         # optional: the rows to keep (the others are not read)
          expression: "lower(IsClosed) = 'true'"
          reads: [IsClosed]
        columns:
          <contract column>: Id        # the user's column, by name (case does not matter)
          <contract column>:           # or an expression over the user's columns (as text)
            expression: "case when lower(IsWon) = 'true' then 'renewed' else 'churned' end"
            reads: [IsWon]             # columns it needs: a required column or `where` stops
                                       # the build naming the one a file lacks
            reads_optional: [Segment__c]  # columns it uses when present (null when absent)

  A contract column the mapping does not name is read under its own name, as without a mapping.
  The engine readers (read_duckdb.sql, read_spark.sql) read every column of a file as text under
  its own name, then `landing_mapped_select` applies the plan `landing_read_plan` makes: one
  renaming for both engines.
-#}

{#- The chosen mapping names / files / inline mappings, in order: var landing_mappings as a list,
    one inline mapping, or a comma-separated string. -#}
{% macro landing_mapping_items() %}
  {%- set value = var('landing_mappings', []) -%}
  {%- if value is none -%}{{ return([]) }}{%- endif -%}
  {%- if value is mapping -%}{{ return([value]) }}{%- endif -%}
  {%- if value is string -%}
    {%- set items = [] -%}
    {%- for part in value.split(',') if part | trim -%}{%- do items.append(part | trim) -%}{%- endfor -%}
    {{ return(items) }}
  {%- endif -%}
  {{ return(value | list) }}
{% endmacro %}

{#- The mappings shipped with the project: the names of the `landing_mapping__<name>` macros. -#}
{% macro landing_shipped_mappings() %}
  {%- set names = [] -%}
  {%- for key in context.keys() if key.startswith('landing_mapping__') -%}
    {%- do names.append(key[17:]) -%}
  {%- endfor -%}
  {{ return(names | sort) }}
{% endmacro %}

{#- One chosen mapping, as (label, the parsed YAML). -#}
{% macro landing_mapping_load(item) %}
  {%- if item is mapping -%}
    {{ return(('inline mapping', item)) }}
  {%- endif -%}
  {%- set item = item | string | trim -%}
  {%- if item.endswith('.yml') or item.endswith('.yaml') -%}
    {%- set path = item if (item.startswith('/') or '://' in item or ':/' in item[:10]) else landing_dir() ~ '/' ~ item -%}
    {%- set text = adapter.dispatch('landing_read_text', 'usage_health')(path) -%}
    {%- if text is none -%}
      {{ exceptions.raise_compiler_error("Column mapping file " ~ path ~ " (var landing_mappings) does not exist. A mapping file's path is relative to the landing folder unless it is absolute.") }}
    {%- endif -%}
    {{ return((path, fromyaml(text))) }}
  {%- endif -%}
  {%- set shipped = context.get('landing_mapping__' ~ item) -%}
  {%- if shipped is none -%}
    {{ exceptions.raise_compiler_error("Column mapping '" ~ item ~ "' (var landing_mappings) is neither a shipped mapping (" ~ (landing_shipped_mappings() | join(', ')) ~ ") nor a .yml / .yaml file. See README, \"Column mappings\".") }}
  {%- endif -%}
  {{ return((item, shipped())) }}
{% endmacro %}

{% macro landing_mapping_error(label, message) %}
  {{ exceptions.raise_compiler_error("Column mapping '" ~ label ~ "': " ~ message ~ " See README, \"Column mappings\".") }}
{% endmacro %}

{#- An expression entry (a column's or `where`), checked: {expression, reads, reads_optional}. -#}
{% macro landing_mapping_expression(label, where, entry) %}
  {%- if entry is not mapping or entry.get('expression') is not string or not (entry.expression | trim) -%}
    {%- do landing_mapping_error(label, where ~ " must be a column name or {expression: <SQL>, reads: [<columns>]}.") -%}
  {%- endif -%}
  {%- for key in entry if key not in ('expression', 'reads', 'reads_optional') -%}
    {%- do landing_mapping_error(label, where ~ " has an unknown key '" ~ key ~ "' (expression, reads, reads_optional).") -%}
  {%- endfor -%}
  {%- set lists = {} -%}
  {%- for key in ('reads', 'reads_optional') -%}
    {%- set names = entry.get(key) or [] -%}
    {%- if names is string -%}{%- set names = [names] -%}{%- endif -%}
    {%- if names is mapping or names is not iterable -%}
      {%- do landing_mapping_error(label, where ~ ": " ~ key ~ " must be a list of column names.") -%}
    {%- endif -%}
    {%- do lists.update({key: names | map('string') | map('trim') | list}) -%}
  {%- endfor -%}
  {%- if lists.reads | length + lists.reads_optional | length == 0 -%}
    {%- do landing_mapping_error(label, where ~ " names no column in reads or reads_optional: list the columns the expression uses.") -%}
  {%- endif -%}
  {{ return({'expression': entry.expression | trim, 'reads': lists.reads, 'reads_optional': lists.reads_optional}) }}
{% endmacro %}

{#- The file name (without extension) a mapping's source entry reads: its `file`, else the source's name. -#}
{% macro landing_mapping_file_stem(source_name, spec) %}
  {{ return(modules.re.sub('[.](csv|parquet)$', '', (spec.get('file') or source_name) | string | trim)) }}
{% endmacro %}

{#- The chosen mappings merged and checked, per contract source: {source: {label, file, where,
    columns: {contract column: {'column': name} or {expression, reads, reads_optional}}}}.
    {} when none is chosen. -#}
{% macro landing_mappings() %}
  {%- set contract = landing_contract() -%}
  {%- set merged = {} -%}
  {%- for item in landing_mapping_items() -%}
    {%- set label, loaded = landing_mapping_load(item) -%}
    {%- if loaded is not mapping or loaded.get('sources') is not mapping -%}
      {%- do landing_mapping_error(label, "a mapping is YAML with a `sources:` entry per landing source it renames.") -%}
    {%- endif -%}
    {%- for key in loaded if key not in ('description', 'sources') -%}
      {%- do landing_mapping_error(label, "unknown key '" ~ key ~ "' (description, sources).") -%}
    {%- endfor -%}
    {%- for source_name, spec in loaded.sources.items() -%}
      {%- if source_name not in contract -%}
        {%- do landing_mapping_error(label, "'" ~ source_name ~ "' is not a landing source (" ~ (contract.keys() | list | join(', ')) ~ ").") -%}
      {%- endif -%}
      {%- if source_name in merged -%}
        {%- do landing_mapping_error(label, "source " ~ source_name ~ " is mapped by '" ~ merged[source_name].label ~ "' too: choose one mapping per source.") -%}
      {%- endif -%}
      {%- if spec is not mapping -%}
        {%- do landing_mapping_error(label, source_name ~ " must hold file, where and columns.") -%}
      {%- endif -%}
      {%- for key in spec if key not in ('file', 'where', 'columns') -%}
        {%- do landing_mapping_error(label, source_name ~ " has an unknown key '" ~ key ~ "' (file, where, columns).") -%}
      {%- endfor -%}
      {%- set file = landing_mapping_file_stem(source_name, spec) -%}
      {%- if not modules.re.match('^[A-Za-z0-9_.-]+$', file) -%}
        {%- do landing_mapping_error(label, source_name ~ ": file '" ~ file ~ "' must be a file name without extension or folder (e.g. Account for Account.csv).") -%}
      {%- endif -%}
      {%- set contract_columns = contract[source_name].required + contract[source_name].optional -%}
      {%- set columns = {} -%}
      {%- for column, entry in (spec.get('columns') or {}).items() -%}
        {%- if column not in contract_columns -%}
          {%- do landing_mapping_error(label, "'" ~ column ~ "' is not a column of " ~ source_name ~ " (" ~ (contract_columns | join(', ')) ~ ").") -%}
        {%- endif -%}
        {%- if entry is string and entry | trim -%}
          {%- do columns.update({column: {'column': entry | trim}}) -%}
        {%- else -%}
          {%- do columns.update({column: landing_mapping_expression(label, source_name ~ '.' ~ column, entry)}) -%}
        {%- endif -%}
      {%- endfor -%}
      {%- set where = landing_mapping_expression(label, source_name ~ '.where', spec.where) if spec.get('where') is not none else none -%}
      {%- do merged.update({source_name: {'label': label, 'file': file, 'where': where, 'columns': columns}}) -%}
    {%- endfor -%}
  {%- endfor -%}
  {#- Each source's files must be its own: no two sources read the same file name. -#}
  {%- set stems = {} -%}
  {%- for source_name in contract -%}
    {%- set stem = merged[source_name].file if source_name in merged else source_name -%}
    {%- if stem | lower in stems -%}
      {%- set other = stems[stem | lower] -%}
      {%- do landing_mapping_error(merged[source_name].label if source_name in merged else merged[other].label,
            "sources " ~ other ~ " and " ~ source_name ~ " would both read the files named " ~ stem ~ ".") -%}
    {%- endif -%}
    {%- do stems.update({stem | lower: source_name}) -%}
  {%- endfor -%}
  {{ return(merged) }}
{% endmacro %}

{#- The file name (without extension) each source's files have: its mapping's `file`, else the
    source's name. {source: stem}. -#}
{% macro landing_file_stems() %}
  {%- set mappings = landing_mappings() -%}
  {%- set stems = {} -%}
  {%- for source_name in landing_contract() -%}
    {%- do stems.update({source_name: mappings[source_name].file if source_name in mappings else source_name}) -%}
  {%- endfor -%}
  {{ return(stems) }}
{% endmacro %}

{#- A file's own name for a column: the same name, else the same name in another case; none. -#}
{% macro landing_header_lookup(header, name) %}
  {%- if name in header -%}{{ return(name) }}{%- endif -%}
  {%- for found in header if found | lower == name | lower -%}{{ return(found) }}{%- endfor -%}
  {{ return(none) }}
{% endmacro %}

{#- What a file with this header lacks, as messages ([] when nothing): each required contract
    column whose column (or an expression's `reads`) is missing, and a `where` that cannot read. -#}
{% macro landing_missing_columns(source_name, header, mapping=none) %}
  {%- set contract = landing_contract()[source_name] -%}
  {%- set problems = [] -%}
  {%- set entries = mapping.columns if mapping else {} -%}
  {%- for required in contract.required -%}
    {%- set entry = entries.get(required) -%}
    {%- if entry is none -%}
      {%- if landing_header_lookup(header, required) is none -%}
        {%- do problems.append("is missing the required column '" ~ required ~ "'" ~ (" (mapping '" ~ mapping.label ~ "' maps no column to it)" if mapping else "")) -%}
      {%- endif -%}
    {%- else -%}
      {%- set needed = [entry.column] if entry.column is defined else entry.reads -%}
      {%- set missing = [] -%}
      {%- for name in needed if landing_header_lookup(header, name) is none -%}{%- do missing.append(name) -%}{%- endfor -%}
      {%- if missing -%}
        {%- do problems.append("is missing the column" ~ ("s '" if missing | length > 1 else " '") ~ (missing | join("', '")) ~ "' that mapping '" ~ mapping.label ~ "' reads for the required column '" ~ required ~ "'") -%}
      {%- endif -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if mapping and mapping.where -%}
    {%- set missing = [] -%}
    {%- for name in mapping.where.reads if landing_header_lookup(header, name) is none -%}{%- do missing.append(name) -%}{%- endfor -%}
    {%- if missing -%}
      {%- do problems.append("is missing the column" ~ ("s '" if missing | length > 1 else " '") ~ (missing | join("', '")) ~ "' that mapping '" ~ mapping.label ~ "' reads to choose the rows it keeps (where)") -%}
    {%- endif -%}
  {%- endif -%}
  {{ return(problems) }}
{% endmacro %}

{#- Where each contract column of a source comes from in a file with this header, in contract
    order: {column: {wanted: the file's column it is read from (its own name, or the mapping's),
    found: that column as the header spells it (none when the file lacks it), entry: the mapping's
    expression entry ({expression, reads, reads_optional}), else none}}. An expression column has
    no wanted / found column. The read plan below and the preflight both read it. -#}
{% macro landing_column_reads(source_name, header, mapping=none) %}
  {%- set contract = landing_contract()[source_name] -%}
  {%- set entries = mapping.columns if mapping else {} -%}
  {%- set reads = {} -%}
  {%- for column in contract.required + contract.optional -%}
    {%- set entry = entries.get(column) -%}
    {%- if entry is not none and entry.expression is defined -%}
      {%- do reads.update({column: {'wanted': none, 'found': none, 'entry': entry}}) -%}
    {%- else -%}
      {%- set wanted = entry.column if entry is not none else column -%}
      {%- do reads.update({column: {'wanted': wanted, 'found': landing_header_lookup(header, wanted), 'entry': none}}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(reads) }}
{% endmacro %}

{#- How the rows of a file with this header are read: {columns: one `<expression> as <contract
    column>` per contract column, null_columns: the columns expressions read that the file lacks
    (the reader gives them as null), where: the row filter or none}. -#}
{% macro landing_read_plan(source_name, header, mapping=none) %}
  {%- set selects = [] -%}
  {%- set null_columns = [] -%}
  {%- set expressions = [] -%}
  {%- for column, read in landing_column_reads(source_name, header, mapping).items() -%}
    {%- if read.entry is not none -%}
      {%- do selects.append('cast((' ~ read.entry.expression ~ ') as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
      {%- do expressions.append(read.entry) -%}
    {%- else -%}
      {%- do selects.append((adapter.quote(read.found) if read.found is not none else 'cast(null as ' ~ dbt.type_string() ~ ')') ~ ' as ' ~ column) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if mapping and mapping.where -%}{%- do expressions.append(mapping.where) -%}{%- endif -%}
  {%- for entry in expressions -%}
    {%- for name in entry.reads + entry.reads_optional if landing_header_lookup(header, name) is none and name | lower not in null_columns | map('lower') | list -%}
      {%- do null_columns.append(name) -%}
    {%- endfor -%}
  {%- endfor -%}
  {{ return({'columns': selects, 'null_columns': null_columns, 'where': mapping.where.expression if mapping and mapping.where else none}) }}
{% endmacro %}

{#- The contract columns of a landing read: `inner` gives the file's columns as text under their
    own names (and the plan's null columns), `_landing_file` and `_landing_problem`; the plan
    renames them and keeps the rows of its `where` (and every malformed row, for the quarantine). -#}
{% macro landing_mapped_select(plan, inner) -%}
  select
    {%- for column in plan.columns %}
    {{ column }},
    {%- endfor %}
    _landing_file,
    _landing_problem
  from (
    {{ inner }}
  ) as landing_rows
  {%- if plan.where %}
  where ({{ plan.where }}) or _landing_problem is not null
  {%- endif %}
{%- endmacro %}

{#- The null columns of a plan, as select items (`cast(null as string) as "<name>", `). -#}
{% macro landing_null_columns(plan) -%}
  {%- for name in plan.null_columns %}
    cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(name) }},
  {%- endfor -%}
{%- endmacro %}
