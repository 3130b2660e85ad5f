-- Public-sector demand per status over the period, in sessions requested (sum of count_sessions); one row per status with requests in scope.
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (requesting sector), $public_sectors, $statuses, $undecided_statuses, $unmet_statuses

with

demand_in_scope as (
    select *
    from public_demand_in_scope($from_month, $to_month, $org_codes, $municipalities, $sectors, $public_sectors)
),

per_status as (
    select
        status,
        sum(count_sessions)::bigint as count_requests
    from demand_in_scope
    group by status
),

status_order as (
    select unnest($statuses) as status, generate_subscripts($statuses, 1) as status_order
),

total as (
    -- the total is its own CTE, not sum() over (): DuckDB 1.5.5 can fail inside a window over
    -- an empty input (INTERNAL Error in WindowLocalSourceState::Finalize, which invalidates the database)
    select sum(count_requests) as count_requests from per_status
),

final as (
    select
        status,
        not status = any($undecided_statuses) as is_decided,
        status = any($unmet_statuses) as is_unmet,
        per_status.count_requests,
        per_status.count_requests / nullif(total.count_requests, 0) as requests_share
    from per_status
    cross join total
    left join status_order using (status)
    order by status_order.status_order, status
)

select * from final
