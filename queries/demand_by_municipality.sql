-- Public-sector demand per municipality over the period, in sessions requested; one row per municipality with requests in scope (null = not given).
-- decided = not avoin/peruttu; unmet = toteutumatta + osittain; unmet_share = unmet / decided.
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (requesting sector), $public_sectors, $undecided_statuses, $unmet_statuses

with

demand_in_scope as (
    select *
    from demand
    where received_month between $from_month and $to_month
      and requesting_sector = any($public_sectors)
      and ($org_codes is null or org_code = any($org_codes))
      and ($municipalities is null or municipality = any($municipalities))
      and ($sectors is null or requesting_sector = any($sectors))
),

per_municipality as (
    select
        municipality,
        sum(count_sessions)::bigint as count_requests,
        coalesce(sum(count_sessions) filter (where not status = any($undecided_statuses)), 0)::bigint as count_decided,
        coalesce(sum(count_sessions) filter (where status = any($unmet_statuses)), 0)::bigint as count_unmet
    from demand_in_scope
    group by municipality
),

final as (
    select
        municipality,
        count_requests,
        count_decided,
        count_unmet,
        count_unmet / nullif(count_decided, 0) as unmet_share
    from per_municipality
    order by municipality nulls last
)

select * from final
