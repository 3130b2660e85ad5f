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

total as (
    -- the total is its own CTE, not sum() over (): DuckDB 1.5.5 can fail inside a window over
    -- an empty input (INTERNAL Error in WindowLocalSourceState::Finalize, which invalidates the database)
    select sum(count_unmet) as count_unmet from per_reason
),

final as (
    select
        per_reason.reason,
        per_reason.count_unmet,
        per_reason.count_unmet / nullif(total.count_unmet, 0) as reason_share
    from per_reason
    cross join total
    order by per_reason.count_unmet desc, per_reason.reason nulls last
)

select * from final
