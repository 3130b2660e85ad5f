-- Public-sector demand per municipality over the period, in sessions requested (sum of count_sessions), split by status; one row per municipality with requests in scope (null = not given).
-- decided = not avoin/peruttu; unmet = toteutumatta + osittain; unmet_share = unmet / decided.
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (requesting sector), $public_sectors, $undecided_statuses, $unmet_statuses

with

demand_in_scope as (
    select *
    from public_demand_in_scope($from_month, $to_month, $org_codes, $municipalities, $sectors, $public_sectors)
),

per_municipality as (
    select
        municipality,
        sum(count_sessions)::bigint as count_requests,
        coalesce(sum(count_sessions) filter (where status = 'toteutunut'), 0)::bigint as count_toteutunut,
        coalesce(sum(count_sessions) filter (where status = 'osittain'), 0)::bigint as count_osittain,
        coalesce(sum(count_sessions) filter (where status = 'toteutumatta'), 0)::bigint as count_toteutumatta,
        coalesce(sum(count_sessions) filter (where status = 'avoin'), 0)::bigint as count_avoin,
        coalesce(sum(count_sessions) filter (where status = 'peruttu'), 0)::bigint as count_peruttu,
        coalesce(sum(count_sessions) filter (where not status = any($undecided_statuses)), 0)::bigint as count_decided,
        coalesce(sum(count_sessions) filter (where status = any($unmet_statuses)), 0)::bigint as count_unmet
    from demand_in_scope
    group by municipality
),

final as (
    select
        *,
        count_unmet / nullif(count_decided, 0) as unmet_share
    from per_municipality
    order by municipality nulls last
)

select * from final
