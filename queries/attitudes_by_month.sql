-- Respondents per month and attitude stage, with each stage's share of the month (for 100 % stacked bars); one row per month × stage with rows in scope.
-- Params: $from_month, $to_month, $org_codes, $sectors (target sector), $sceptical_stages. (Attitude rows have no municipality.)

with

attitudes_in_scope as (
    select *
    from attitudes_in_scope($from_month, $to_month, $org_codes, $sectors)
),

per_month_stage as (
    select
        answer_month,
        attitude_stage,
        sum(count_respondents)::bigint as count_respondents
    from attitudes_in_scope
    group by answer_month, attitude_stage
),

final as (
    select
        answer_month,
        attitude_stage,
        attitude_stage = any($sceptical_stages) as is_sceptical,
        count_respondents,
        count_respondents / nullif(sum(count_respondents) over (partition by answer_month), 0) as respondents_share
    from per_month_stage
    order by answer_month, attitude_stage
)

select * from final
