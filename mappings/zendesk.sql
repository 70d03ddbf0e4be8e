{#- Zendesk Support's tickets as support_tickets. The YAML between `set mapping` and `endset` is the
    mapping (README, "Column mappings"); copy it to a .yml file to write your own. -#}
{% macro landing_mapping__zendesk() %}
{%- set mapping -%}
description: >
  Zendesk Support tickets as the Tickets API and its incremental export return them (id,
  created_at, status, priority, organization_id, ...), one row per ticket, with solved_at from
  the ticket's metric set (include=metric_sets) beside them, exported as tickets.csv,
  tickets.parquet or parts tickets/*. The account is the ticket's organization: its
  organization_id must be the CRM account id (or point account_id at the column holding it).
sources:
  support_tickets:
    file: tickets
    # the incremental export lists deleted tickets too, with status deleted
    where:
      expression: "lower(coalesce(status, '')) <> 'deleted'"
      reads_optional: [status]
    columns:
      ticket_id: id
      account_id: organization_id
      opened_at: created_at
      # closed while solved or closed: a reopened ticket keeps its old solved_at but is open again
      closed_at:
        expression: "case when lower(coalesce(status, 'solved')) in ('solved', 'closed') then solved_at end"
        reads: [solved_at]
        reads_optional: [status]
      # urgent, high, normal, low
      priority: priority
{%- endset -%}
{{ return(fromyaml(mapping)) }}
{% endmacro %}
