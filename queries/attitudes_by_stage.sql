-- Respondents per attitude stage over the period; always five rows (stages 1–5, zero when none), all measurement points together.
-- Params: $from_month, $to_month, $org_codes, $sectors (target sector), $attitude_stages, $sceptical_stages, $protect_below. (Attitude rows have no municipality.)

with

attitudes_in_scope as (
    select *
    from attitudes_in_scope($from_month, $to_month, $org_codes, $sectors, $protect_below)
),

stages as (
    select unnest($attitude_stages)::smallint as attitude_stage
),

per_stage as (
    select
        attitude_stage,
        sum(count_respondents)::bigint as count_respondents
    from attitudes_in_scope
    group by attitude_stage
),

total as (
    -- the total is its own CTE, not sum() over (): DuckDB 1.5.5 can fail inside a window over
    -- an empty input (INTERNAL Error in WindowLocalSourceState::Finalize, which invalidates the database)
    select coalesce(sum(count_respondents), 0) as count_respondents from per_stage
),

final as (
    select
        stages.attitude_stage,
        stages.attitude_stage = any($sceptical_stages) as is_sceptical,
        coalesce(per_stage.count_respondents, 0)::bigint as count_respondents,
        coalesce(per_stage.count_respondents, 0) / nullif(total.count_respondents, 0) as respondents_share
    from stages
    cross join total
    left join per_stage using (attitude_stage)
    order by stages.attitude_stage
)

select * from final
