-- Identity overrides that travel with the data: the same rows as seeds/account_mapping_overrides.csv
-- (external id -> CRM account), from an optional `account_mapping_overrides` landing file. The
-- demo's overrides come this way, so the shipped seed holds none.
with source as (
    {{ landing_source(source('landing', 'account_mapping_overrides')) }}
),

typed as (
    select
        lower({{ clean_text('external_id_type') }}) as external_id_type,
        {{ clean_text('external_id') }} as external_id_text,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('note') }} as note,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        -- an email domain is matched lower case, as staging keeps users' domains
        case when external_id_type = 'domain' then lower(external_id_text) else external_id_text end as external_id,
        {{ quarantine_reason([
            ('external_id_type is null', 'missing external_id_type'),
            ("external_id_type not in ('workspace', 'subscription', 'domain')", 'external_id_type is not one of workspace, subscription, domain'),
            ('external_id_text is null', 'missing external_id'),
            ('account_id is null', 'missing account_id'),
        ]) }} as quarantine_reason
    from typed
)

select
    external_id_type,
    external_id,
    account_id,
    note,
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['external_id_type', 'external_id_text', 'account_id', 'note']) }}
    end as raw_values
from checked
