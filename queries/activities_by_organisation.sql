-- Activities per organisation over the period, split by activity group; one row per organisation with rows in scope.
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (target sector), $activity_types, $activity_type_groups, $protect_below, $protected_activity_types

with

grouped as (
    select *
    from grouped_activities_in_scope($from_month, $to_month, $org_codes, $municipalities, $sectors,
                                     $activity_types, $activity_type_groups,
                                     $protect_below, $protected_activity_types)
),

organisation_names as (
    select org_code, org_name from organisations
),

per_organisation as (
    select
        org_code,
        sum(count_activities)::bigint as count_activities,
        coalesce(sum(count_activities) filter (where activity_group = 'client_work'), 0)::bigint as count_client_work,
        coalesce(sum(count_activities) filter (where activity_group = 'development_advocacy'), 0)::bigint
            as count_development_advocacy,
        coalesce(sum(count_activities) filter (where activity_group = 'other'), 0)::bigint as count_other
    from grouped
    group by org_code
),

final as (
    select
        per_organisation.org_code,
        organisation_names.org_name,
        per_organisation.count_activities,
        per_organisation.count_client_work,
        per_organisation.count_development_advocacy,
        per_organisation.count_other
    from per_organisation
    left join organisation_names using (org_code)
    order by per_organisation.org_code
)

select * from final
