-- 003: activities in scope with their activity group (client work, development & advocacy,
-- other), so the queries that split by group share one mapping. The mapping itself is bound
-- from data_sources.vocabulary ($activity_types, $activity_type_groups), never written here.

create macro grouped_activities_in_scope(from_month, to_month, org_codes, municipalities, sectors,
                                         activity_types, activity_type_groups) as table
with activity_groups as (
    select unnest(activity_types) as activity_type, unnest(activity_type_groups) as activity_group
)
select a.*, coalesce(g.activity_group, 'other') as activity_group
from activities_in_scope(from_month, to_month, org_codes, municipalities, sectors) a
left join activity_groups g using (activity_type);
