-- Why public-sector requests went unmet: sessions of toteutumatta/osittain requests per reason over the period; one row per reason (null = reason not given).
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (requesting sector), $public_sectors, $unmet_statuses

with

unmet_in_scope as (
    select *
    from public_demand_in_scope($from_month, $to_month, $org_codes, $municipalities, $sectors, $public_sectors)
    where status = any($unmet_statuses)
),

per_reason as (
    select
        reason,
        sum(count_sessions)::bigint as count_unmet
    from unmet_in_scope
    group by reason
),

final as (
    select
        reason,
        count_unmet,
        count_unmet / nullif(sum(count_unmet) over (), 0) as reason_share
    from per_reason
    order by count_unmet desc, reason nulls last
)

select * from final
