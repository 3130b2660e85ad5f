-- Capacity against demand per month: active experts (Kapasiteetti, summed over organisations) beside public-sector sessions requested; one row per month of the period.
-- Capacity columns are null for a month no organisation in scope reported Kapasiteetti; count_requests is null for a month from which no organisation in scope has any sheet in force (not reported: a gap, not a zero). Municipality/sector filters apply to requests only (capacity rows have neither).
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (requesting sector), $public_sectors

with

capacity_in_scope as (
    select *
    from capacity_in_scope($from_month, $to_month, $org_codes)
),

demand_in_scope as (
    select *
    from public_demand_in_scope($from_month, $to_month, $org_codes, $municipalities, $sectors, $public_sectors)
),

months as (
    select month::date as capacity_month
    from generate_series($from_month::date, $to_month::date, interval 1 month) as series(month)
),

capacity_per_month as (
    select
        capacity_month,
        sum(count_trained)::bigint as count_trained,
        sum(count_active)::bigint as count_active,
        sum(hours_available)::double as hours_available,
        count(distinct org_code) as count_reporting_orgs
    from capacity_in_scope
    group by capacity_month
),

-- a month is reported when an organisation in scope sent any sheet for it (most often Toiminta):
-- then no request is a true 0
demand_reported as (
    select distinct period_month as capacity_month
    from current_sheet_months
    where $org_codes is null or list_contains($org_codes, org_code)
),

requests_per_month as (
    select
        received_month as capacity_month,
        sum(count_sessions)::bigint as count_requests
    from demand_in_scope
    group by received_month
),

final as (
    select
        months.capacity_month,
        capacity_per_month.count_trained,
        capacity_per_month.count_active,
        capacity_per_month.hours_available,
        coalesce(capacity_per_month.count_reporting_orgs, 0) as count_reporting_orgs,
        case when demand_reported.capacity_month is not null
             then coalesce(requests_per_month.count_requests, 0) end::bigint as count_requests
    from months
    left join capacity_per_month using (capacity_month)
    left join requests_per_month using (capacity_month)
    left join demand_reported using (capacity_month)
    order by months.capacity_month
)

select * from final
