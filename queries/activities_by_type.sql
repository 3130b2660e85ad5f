-- Activity volume per activity type over the period; one row per type with rows in scope, in contract order.
-- Sums of experts_involved, people_reached, hours (blank = 0) beside the number of rows that left each blank; mean_feedback weighted by count_activities over rows that have feedback.
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

per_type as (
    select
        activity_type,
        sum(count_activities)::bigint as count_activities,
        coalesce(sum(experts_involved), 0)::bigint as count_experts_involved,
        count(*) filter (where experts_involved is null) as count_rows_blank_experts_involved,
        coalesce(sum(people_reached), 0)::bigint as count_people_reached,
        count(*) filter (where people_reached is null) as count_rows_blank_people_reached,
        coalesce(sum(hours), 0)::double as sum_hours,
        count(*) filter (where hours is null) as count_rows_blank_hours,
        coalesce(sum(count_activities) filter (where feedback is not null), 0)::bigint
            as count_activities_with_feedback,
        sum(feedback * count_activities) filter (where feedback is not null)
            / nullif(sum(count_activities) filter (where feedback is not null), 0) as mean_feedback
    from activities_in_scope
    group by activity_type
),

final as (
    select
        per_type.activity_type,
        coalesce(activity_groups.activity_group, 'other') as activity_group,
        per_type.count_activities,
        per_type.count_experts_involved,
        per_type.count_rows_blank_experts_involved,
        per_type.count_people_reached,
        per_type.count_rows_blank_people_reached,
        per_type.sum_hours,
        per_type.count_rows_blank_hours,
        per_type.count_activities_with_feedback,
        per_type.mean_feedback
    from per_type
    left join activity_groups using (activity_type)
    order by coalesce(activity_groups.type_order, 999), per_type.activity_type
)

select * from final
