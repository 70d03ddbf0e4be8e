{#- Segment's `tracks` table as product_events. The YAML between `set mapping` and `endset` is the
    mapping (README, "Column mappings"); copy it to a .yml file to write your own. -#}
{% macro landing_mapping__segment_tracks() %}
{%- set mapping -%}
description: >
  Segment's tracks table (Segment warehouse schema: one row per track call, column names in
  snake_case, context fields flattened to context_<key>), exported as tracks.csv, tracks.parquet
  or parts tracks/*. The workspace is the call's group: context.groupId (column
  context_group_id), else an account_id property where the export carries one.
sources:
  product_events:
    file: tracks
    columns:
      # id: the call's messageId, Segment's key for deduplication
      event_id: id
      # timestamp: when the event happened, clock-skew corrected, UTC
      occurred_at: timestamp
      workspace_id:
        expression: "coalesce(nullif(trim(context_group_id), ''), nullif(trim(account_id), ''))"
        reads: [context_group_id]
        reads_optional: [account_id]
      # an anonymous call (no user_id yet) counts under its anonymous_id
      user_id:
        expression: "coalesce(nullif(trim(user_id), ''), nullif(trim(anonymous_id), ''))"
        reads: [user_id]
        reads_optional: [anonymous_id]
      # event: the event's slug (event_text is its name as sent); seeds/features.csv names slugs
      event_name: event
{%- endset -%}
{{ return(fromyaml(mapping)) }}
{% endmacro %}
