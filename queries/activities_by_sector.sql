-- Activities per target sector over the period, split by activity group; one row per sector with rows in scope (null = not given).
-- Params: $from_month, $to_month, $org_codes, $municipalities, $sectors (target sector), $activity_types, $activity_type_groups, $protect_below, $protected_activity_types

with

grouped as (
    select *
    from grouped_activities_in_scope($from_month, $to_month, $org_codes, $municipalities, $sectors,
                                     $activity_types, $activity_type_groups,
                                     $protect_below, $protected_activity_types)
),

final as (
    select
        target_sector,
        sum(count_activities)::bigint as count_activities,
        coalesce(sum(count_activities) filter (where activity_group = 'client_work'), 0)::bigint as count_client_work,
        coalesce(sum(count_activities) filter (where activity_group = 'development_advocacy'), 0)::bigint
            as count_development_advocacy,
        coalesce(sum(count_activities) filter (where activity_group = 'other'), 0)::bigint as count_other
    from grouped
    group by target_sector
    order by target_sector nulls last
)

select * from final
