{#- The input contract: the landing sources, their columns and keys, and where the landing folder is. -#}

{#-
  The landing zone: raw files read in place by `dbt build`, with no load step.
  A source is `<landing_dir>/<source>.csv`, `<source>.parquet`, or parts `<source>/*.csv|*.parquet`
  (or the file name its column mapping gives: macros/landing/mappings.sql).
  `landing_source(name)` renders a select of every contract column as text (missing optional
  columns as null; extra columns ignored; other names renamed by the source's column mapping)
  plus `_landing_file`. A file missing a required column stops the build with a message naming
  the file and the column (the export's name for it, with a mapping); a source with no file is empty.
-#}

{% macro landing_contract() %}
  {#- Per source: required and optional columns, the base view and staging model that read it,
      its key (duplicates are counted on it), the column that dates its records, and whether
      it records activity (its newest record says how fresh it is). A `configuration` source
      (identity overrides that travel with the data, beside seeds/account_mapping_overrides.csv)
      has no records in time: it is read, quarantined and reconciled like the others, but has
      no freshness and no file is the usual case. -#}
  {{ return({
    'product_events': {'required': ['event_id', 'occurred_at', 'workspace_id', 'user_id', 'event_name'], 'optional': ['session_id'],
                       'base': 'base_product_events', 'staging': 'stg_product__events', 'key': "event_id", 'record_time': 'occurred_at', 'activity': true,
                       'file_counts': 'stg_landing__event_file_counts'},
    'product_workspaces': {'required': ['workspace_id'], 'optional': ['crm_account_id', 'subscription_id', 'instance_type', 'created_at'],
                           'base': 'base_product_workspaces', 'staging': 'stg_product__workspaces', 'key': "workspace_id", 'record_time': 'created_at'},
    'product_users': {'required': ['user_id', 'workspace_id'], 'optional': ['email', 'created_at'],
                      'base': 'base_product_users', 'staging': 'stg_product__users', 'key': "user_id || '|' || workspace_id", 'record_time': 'created_at'},
    'crm_accounts': {'required': ['account_id', 'account_name', 'segment'], 'optional': ['parent_account_id', 'csm_owner', 'email_domain', 'created_at', 'renewal_date'],
                     'base': 'base_crm_accounts', 'staging': 'stg_crm__accounts', 'key': "account_id", 'record_time': 'created_at'},
    'arr_monthly': {'required': ['account_id', 'month', 'arr'], 'optional': ['licensed_seats', 'subscription_id'],
                    'base': 'base_arr_monthly', 'staging': 'stg_crm__arr_monthly', 'key': "account_id || '|' || cast(month_start as string) || '|' || coalesce(subscription_id, '')", 'record_time': 'month_start'},
    'nps_responses': {'required': ['response_id', 'account_id', 'responded_at', 'score'], 'optional': [],
                      'base': 'base_nps_responses', 'staging': 'stg_crm__nps_responses', 'key': "response_id", 'record_time': 'responded_at', 'activity': true},
    'support_tickets': {'required': ['ticket_id', 'account_id', 'opened_at'], 'optional': ['closed_at', 'priority', 'product_area', 'fix_shipped_at'],
                        'base': 'base_support_tickets', 'staging': 'stg_crm__support_tickets', 'key': "ticket_id", 'record_time': 'opened_at', 'activity': true},
    'csm_touchpoints': {'required': ['touchpoint_id', 'account_id', 'occurred_at'], 'optional': ['touchpoint_type', 'sentiment'],
                        'base': 'base_csm_touchpoints', 'staging': 'stg_crm__csm_touchpoints', 'key': "touchpoint_id", 'record_time': 'occurred_at', 'activity': true},
    'cs_health_scores': {'required': ['account_id', 'scored_at', 'health_score'], 'optional': ['renewal_risk'],
                         'base': 'base_cs_health_scores', 'staging': 'stg_crm__cs_health_scores', 'key': "account_id || '|' || cast(scored_at as string)", 'record_time': 'scored_at', 'activity': true},
    'renewal_outcomes': {'required': ['account_id', 'renewal_date', 'outcome'], 'optional': ['arr_before', 'arr_after'],
                         'base': 'base_renewal_outcomes', 'staging': 'stg_crm__renewal_outcomes', 'key': "account_id || '|' || cast(renewal_date as string)", 'record_time': 'renewal_date'},
    'account_mapping_overrides': {'required': ['external_id_type', 'external_id', 'account_id'], 'optional': ['note'],
                                  'base': 'base_account_mapping_overrides', 'staging': 'stg_crm__account_mapping_overrides', 'key': "external_id_type || '|' || external_id || '|' || account_id", 'configuration': true},
  }) }}
{% endmacro %}

{% macro landing_dir() %}
  {%- set d = var('landing_dir') | string | trim -%}
  {{ return(d[:-1] if d.endswith('/') else d) }}
{% endmacro %}
