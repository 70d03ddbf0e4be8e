{#- Salesforce's Account and Opportunity objects as crm_accounts and renewal_outcomes. The YAML
    between `set mapping` and `endset` is the mapping (README, "Column mappings"); copy it to a
    .yml file to write your own. -#}
{% macro landing_mapping__salesforce() %}
{%- set mapping -%}
description: >
  Salesforce's Account and Opportunity objects as the Data Export service, Data Loader or a
  Bulk API query write them: a header row of API field names (Id, Name, OwnerId, ...), booleans
  as true / false, dates YYYY-MM-DD, datetimes ISO 8601 in UTC. Account.csv gives crm_accounts,
  Opportunity.csv renewal_outcomes (or .parquet, or parts in Account/ and Opportunity/).
sources:
  crm_accounts:
    file: Account
    columns:
      account_id: Id
      account_name: Name
      # The tier: the org's own segment field where it has one (Segment__c here: put your field's
      # API name), else the standard Type picklist.
      segment:
        expression: "coalesce(nullif(trim(Segment__c), ''), nullif(trim(Type), ''))"
        reads: [Type]
        reads_optional: [Segment__c]
      parent_account_id: ParentId
      # the account owner's user id (export User too and put names here if you want names)
      csm_owner: OwnerId
      # the domain of the account's Website: https://www.acme.com/about -> acme.com
      email_domain:
        expression: "regexp_extract(lower(trim(Website)), '^([a-z][a-z0-9+.-]*://)?(www[.])?([^/:?#]*)', 3)"
        reads: [Website]
      created_at: CreatedDate
  renewal_outcomes:
    file: Opportunity
    # Renewals are the closed opportunities whose Type names a renewal (Type is a picklist each org
    # edits: change the condition to your renewal type or record type). Open ones are not read.
    where:
      expression: "lower(IsClosed) = 'true' and lower(Type) like '%renewal%'"
      reads: [IsClosed, Type]
    columns:
      account_id: AccountId
      renewal_date: CloseDate
      # won: renewed; closed and lost: churned
      outcome:
        expression: "case when lower(IsWon) = 'true' then 'renewed' else 'churned' end"
        reads: [IsWon]
{%- endset -%}
{{ return(fromyaml(mapping)) }}
{% endmacro %}
