-- Reporting state per organisation and month of the period: one row per organisation in scope × month.
-- state: 'reported' (a Toiminta upload in force), 'locked' (month locked for the network or the organisation, nothing in force), 'missing' (expected, none), 'not_expected' (before the start month).
-- Params: $from_month, $to_month, $org_codes

with

organisations_in_scope as (
    select org_code, org_name, start_month
    from organisations
    where ($org_codes is null or list_contains($org_codes, org_code))
),

months as (
    select cast(month_start as date) as period_month
    from range(cast($from_month as date), cast($to_month as date) + interval 1 day, interval 1 month) as t(month_start)
),

reported as (
    select distinct org_code, period_month
    from current_sheet_months
    where sheet = 'toiminta'
),

final as (
    select
        o.org_code,
        o.org_name,
        m.period_month,
        case
            when m.period_month < o.start_month then 'not_expected'
            when r.org_code is not null then 'reported'
            when l.period_month is not null or ol.org_code is not null then 'locked'
            else 'missing'
        end as state
    from organisations_in_scope o
    cross join months m
    left join reported r on r.org_code = o.org_code and r.period_month = m.period_month
    left join locked_months l on l.period_month = m.period_month
    left join organisation_locked_months ol on ol.org_code = o.org_code and ol.period_month = m.period_month
    order by o.org_name, m.period_month
)

select * from final
