{#- Hashes that give the same value on DuckDB and Spark (user hashes) or are fast per engine (keys). -#}

{#- A one-way hash for ids that are personal data (user ids): counted, never shown. -#}
{% macro hash_id(column) -%}
  {{ return(adapter.dispatch('hash_id', 'usage_health')(column)) }}
{%- endmacro %}

{% macro default__hash_id(column) -%}
  {{ dbt.hash(column) }}
{%- endmacro %}

{#- DuckDB: the first 72 bits of the md5 as 12 base64 characters. DuckDB keeps strings of up to 12
    bytes inline, so grouping and partitioning 100M events by user is several times cheaper than
    on 32-character hex; 72 bits keep a collision between two of a million users below 1e-9. -#}
{% macro duckdb__hash_id(column) -%}
  left(to_base64(unhex(md5(cast({{ column }} as varchar)))), 12)
{%- endmacro %}

{#- Spark: the same 12 characters as on DuckDB, so a user counts once on either engine. -#}
{% macro spark__hash_id(column) -%}
  left(base64(unhex(md5(cast({{ column }} as string)))), 12)
{%- endmacro %}

{#- A fast 64-bit hash of a value (not for privacy: see hash_id). Used to find repeated keys among
    a hundred million rows without a hash table of the keys themselves; a collision only sends a
    few extra rows down the exact path, never changes a result. -#}
{% macro fast_hash(expression) -%}
  {{ return(adapter.dispatch('fast_hash', 'usage_health')(expression)) }}
{%- endmacro %}

{% macro default__fast_hash(expression) -%}
  xxhash64({{ expression }})
{%- endmacro %}

{% macro duckdb__fast_hash(expression) -%}
  hash({{ expression }})
{%- endmacro %}
