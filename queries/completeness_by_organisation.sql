-- Reporting completeness per organisation: org-months expected (from the later of its start_month and $from_month to $to_month) and those with a Toiminta upload in force; one row per organisation in scope expected to report.
-- missing_months lists the expected months without one ('YYYY-MM'). Months before an organisation's start_month never count, reported or not.
-- Params: $from_month, $to_month, $org_codes

with

organisations_in_scope as (
    select *
    from organisations
    where ($org_codes is null or list_contains($org_codes, org_code))
),

toiminta_months as (
    select org_code, period_month
    from current_sheet_months
    where sheet = 'toiminta'
),

expected_months as (
    select
        organisations_in_scope.org_code,
        series.month::date as expected_month
    from organisations_in_scope
    cross join lateral generate_series(
        greatest(organisations_in_scope.start_month, $from_month::date),
        $to_month::date,
        interval 1 month
    ) as series(month)
),

checked_months as (
    select
        expected_months.org_code,
        expected_months.expected_month,
        toiminta_months.period_month is not null as is_reported
    from expected_months
    left join toiminta_months
      on toiminta_months.org_code = expected_months.org_code
     and toiminta_months.period_month = expected_months.expected_month
),

per_organisation as (
    select
        org_code,
        count(*) as count_expected_months,
        count(*) filter (where is_reported) as count_reported_months,
        -- 'YYYY-MM' sorts as the months do: sorting the list is cheaper than an ordered aggregate
        coalesce(list_sort(list(strftime(expected_month, '%Y-%m')) filter (where not is_reported)), [])
            as missing_months
    from checked_months
    group by org_code
),

final as (
    select
        per_organisation.org_code,
        organisations_in_scope.org_name,
        organisations_in_scope.start_month,
        per_organisation.count_expected_months,
        per_organisation.count_reported_months,
        per_organisation.count_reported_months / per_organisation.count_expected_months as reported_share,
        per_organisation.missing_months
    from per_organisation
    join organisations_in_scope using (org_code)
    order by per_organisation.org_code
)

select * from final
