-- Public-sector demand per requesting sector over the period, counted in sessions requested (sum of count_sessions, never rows); one row per public sector with requests in scope.
-- decided = not avoin/peruttu; unmet = toteutumatta + osittain; unmet_share = unmet / decided (null when nothing decided).
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (requesting sector), $public_sectors, $undecided_statuses, $unmet_statuses

with

demand_in_scope as (
    select *
    from public_demand_in_scope($from_month, $to_month, $org_codes, $municipalities, $sectors, $public_sectors)
),

per_sector as (
    select
        requesting_sector,
        sum(count_sessions)::bigint as count_requests,
        coalesce(sum(count_sessions) filter (where status = 'toteutunut'), 0)::bigint as count_toteutunut,
        coalesce(sum(count_sessions) filter (where status = 'osittain'), 0)::bigint as count_osittain,
        coalesce(sum(count_sessions) filter (where status = 'toteutumatta'), 0)::bigint as count_toteutumatta,
        coalesce(sum(count_sessions) filter (where status = 'avoin'), 0)::bigint as count_avoin,
        coalesce(sum(count_sessions) filter (where status = 'peruttu'), 0)::bigint as count_peruttu,
        coalesce(sum(count_sessions) filter (where not status = any($undecided_statuses)), 0)::bigint as count_decided,
        coalesce(sum(count_sessions) filter (where status = any($unmet_statuses)), 0)::bigint as count_unmet
    from demand_in_scope
    group by requesting_sector
),

sector_order as (
    select unnest($public_sectors) as requesting_sector, generate_subscripts($public_sectors, 1) as sector_order
),

final as (
    select
        per_sector.*,
        count_unmet / nullif(count_decided, 0) as unmet_share
    from per_sector
    join sector_order using (requesting_sector)
    order by sector_order.sector_order
)

select * from final
