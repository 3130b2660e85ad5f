-- Respondents per month and attitude stage, with each stage's share of the month (for 100 % stacked bars); one row per month × stage with rows in scope.
-- Params: $from_month, $to_month, $org_codes, $sectors (target sector), $sceptical_stages, $protect_below. (Attitude rows have no municipality.)

with

attitudes_in_scope as (
    select *
    from attitudes_in_scope($from_month, $to_month, $org_codes, $sectors, $protect_below)
),

per_month_stage as (
    select
        answer_month,
        attitude_stage,
        sum(count_respondents)::bigint as count_respondents
    from attitudes_in_scope
    group by answer_month, attitude_stage
),

per_month as (
    -- the total is its own CTE, not sum() over (): DuckDB 1.5.5 can fail inside a window over
    -- an empty input (INTERNAL Error in WindowLocalSourceState::Finalize, which invalidates the database)
    select answer_month, sum(count_respondents) as month_respondents from per_month_stage group by answer_month
),

final as (
    select
        answer_month,
        attitude_stage,
        attitude_stage = any($sceptical_stages) as is_sceptical,
        count_respondents,
        count_respondents / nullif(month_respondents, 0) as respondents_share
    from per_month_stage
    join per_month using (answer_month)
    order by answer_month, attitude_stage
)

select * from final
