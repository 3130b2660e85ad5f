-- Public-sector requests still 'avoin' more than 60 days before the period's end, per requesting sector (sessions); one row per sector that has any.
-- received_month is a month: a row counts when its month's first day < last day of $to_month − 60 days. The backlog has no lower bound: open requests received before the period count too.
-- Params: $to_month, $org_codes, $municipalities, $sectors (requesting sector), $public_sectors

with

open_in_scope as (
    select *
    from public_demand_in_scope(null, $to_month, $org_codes, $municipalities, $sectors, $public_sectors)
    where status = 'avoin'
      and received_month < last_day($to_month::date) - interval 60 day
),

final as (
    select
        requesting_sector,
        sum(count_sessions)::bigint as count_open_over_60_days,
        min(received_month) as oldest_received_month
    from open_in_scope
    group by requesting_sector
    order by requesting_sector
)

select * from final
