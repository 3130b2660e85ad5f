-- Attitude shift per respondent group: curious-or-better share at 'ennen' and at 'jalkeen', and the shift in percentage points; one row per group with both points.
-- "Both points" = only rows of an organisation × respondent group that has both ennen and jalkeen rows in the period count (its other measurement points never do).
-- Params: $from_month, $to_month, $org_codes, $sectors (target sector), $sceptical_stages, $protect_below. (Attitude rows have no municipality.)

with

attitudes_in_scope as (
    select *
    from attitudes_in_scope($from_month, $to_month, $org_codes, $sectors, $protect_below)
    where measurement_point in ('ennen', 'jalkeen')
),

pairs_with_both_points as (
    select org_code, respondent_group
    from attitudes_in_scope
    group by org_code, respondent_group
    having count(distinct measurement_point) = 2
),

paired_rows as (
    select attitudes_in_scope.*
    from attitudes_in_scope
    join pairs_with_both_points using (org_code, respondent_group)
),

per_group as (
    select
        respondent_group,
        sum(count_respondents) filter (where measurement_point = 'ennen')::bigint as count_respondents_ennen,
        coalesce(sum(count_respondents) filter (
            where measurement_point = 'ennen' and not attitude_stage = any($sceptical_stages)), 0)::bigint
            as count_curious_ennen,
        sum(count_respondents) filter (where measurement_point = 'jalkeen')::bigint as count_respondents_jalkeen,
        coalesce(sum(count_respondents) filter (
            where measurement_point = 'jalkeen' and not attitude_stage = any($sceptical_stages)), 0)::bigint
            as count_curious_jalkeen
    from paired_rows
    group by respondent_group
),

final as (
    select
        respondent_group,
        count_respondents_ennen,
        count_curious_ennen,
        count_curious_ennen / nullif(count_respondents_ennen, 0) as curious_or_better_share_ennen,
        count_respondents_jalkeen,
        count_curious_jalkeen,
        count_curious_jalkeen / nullif(count_respondents_jalkeen, 0) as curious_or_better_share_jalkeen,
        100 * (count_curious_jalkeen / nullif(count_respondents_jalkeen, 0)
               - count_curious_ennen / nullif(count_respondents_ennen, 0)) as shift_points
    from per_group
    order by respondent_group
)

select * from final
