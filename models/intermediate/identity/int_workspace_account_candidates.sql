-- One row per workspace x candidate CRM account x method: every way a workspace could be tied
-- to an account. Precedence (lower wins): 1 override (seeds/account_mapping_overrides.csv or the
-- landing folder's account_mapping_overrides; by workspace, subscription or email domain), 2 the workspace's crm_account_id, 3 its subscription (as billed in arr_monthly),
-- 4 its users' email domain (an account's email_domain). Candidates naming an account the CRM
-- does not know are dropped here (the workspace then falls to the next method or stays unresolved).
with workspaces as (
    select * from {{ ref('stg_product__workspaces') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

-- overrides by hand: the seed's rows and those that travel with the data (landing folder)
overrides as (
    select * from {{ ref('int_account_mapping_overrides') }}
),

subscriptions as (
    select distinct
        subscription_id,
        account_id
    from {{ ref('stg_crm__arr_monthly') }}
    where subscription_id is not null
),

user_domains as (
    select distinct
        workspace_id,
        email_domain
    from {{ ref('stg_product__users') }}
    where email_domain is not null
),

candidates as (
    select
        workspaces.workspace_id,
        overrides.account_id,
        1 as precedence,
        'override' as resolution_method
    from workspaces
    inner join overrides
        on
            overrides.external_id_type = 'workspace'
            and workspaces.workspace_id = overrides.external_id

    union all

    select
        workspaces.workspace_id,
        overrides.account_id,
        1 as precedence,
        'override' as resolution_method
    from workspaces
    inner join overrides
        on
            overrides.external_id_type = 'subscription'
            and workspaces.subscription_id = overrides.external_id

    union all

    select
        user_domains.workspace_id,
        overrides.account_id,
        1 as precedence,
        'override' as resolution_method
    from user_domains
    inner join overrides
        on
            overrides.external_id_type = 'domain'
            and user_domains.email_domain = overrides.external_id

    union all

    select
        workspace_id,
        crm_account_id as account_id,
        2 as precedence,
        'crm_id' as resolution_method
    from workspaces
    where crm_account_id is not null

    union all

    select
        workspaces.workspace_id,
        subscriptions.account_id,
        3 as precedence,
        'subscription' as resolution_method
    from workspaces
    inner join subscriptions on workspaces.subscription_id = subscriptions.subscription_id

    union all

    select
        user_domains.workspace_id,
        accounts.account_id,
        4 as precedence,
        'email_domain' as resolution_method
    from user_domains
    inner join accounts on user_domains.email_domain = accounts.email_domain
),

classified as (
    select distinct
        candidates.workspace_id,
        candidates.account_id,
        hierarchy.scored_account_id,
        candidates.precedence,
        candidates.resolution_method,
        -- Methods are judged in classes: the override alone; then the product's own keys
        -- (CRM id and subscription), which must agree; then the email domain.
        case
            when candidates.precedence = 1 then 1
            when candidates.precedence in (2, 3) then 2
            else 3
        end as precedence_class
    from candidates
    inner join {{ ref('int_account_hierarchy') }} as hierarchy
        on candidates.account_id = hierarchy.account_id
),

-- the first precedence class with a candidate decides the workspace
final as (
    select
        *,
        precedence_class = min(precedence_class) over (partition by workspace_id) as is_deciding
    from classified
)

select * from final
