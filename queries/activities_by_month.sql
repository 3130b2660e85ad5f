-- Activities per month, type and group; one row per month × type with rows in scope.
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (target sector), $activity_types, $activity_type_groups, $protect_below, $protected_activity_types

with

activities_in_scope as (
    select *
    from activities_in_scope($from_month, $to_month, $org_codes, $municipalities, $sectors,
                         $protect_below, $protected_activity_types)
),

activity_groups as (
    select
        unnest($activity_types) as activity_type,
        unnest($activity_type_groups) as activity_group,
        generate_subscripts($activity_types, 1) as type_order
),

per_month_type as (
    select
        activity_month,
        activity_type,
        sum(count_activities)::bigint as count_activities
    from activities_in_scope
    group by activity_month, activity_type
),

final as (
    select
        per_month_type.activity_month,
        per_month_type.activity_type,
        coalesce(activity_groups.activity_group, 'other') as activity_group,
        per_month_type.count_activities
    from per_month_type
    left join activity_groups using (activity_type)
    order by per_month_type.activity_month, coalesce(activity_groups.type_order, 999), per_month_type.activity_type
)

select * from final
