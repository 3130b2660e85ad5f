"""005: protected counts are perturbed at the row, for every view but leadership's.

Small-count suppression per view could not hold across views: a hidden count came back by
subtracting what two pages showed. From this version on a member or board viewer's every
figure is computed from **perturbed rows**: each stored row's protected count below the
threshold (people reached, respondents, client-work activities) is replaced by a value drawn
once, by a keyed hash of the row's content, from a small zero-mean table (docs/figures.md,
"Privacy"). Every page, period, filter and download sums the same perturbed rows, so combining
views can give back at most a perturbed row, never its true count.

The key is a random secret of this warehouse (`privacy_key`), never shown, kept by a rebuild.
"""

import secrets

# value + offset, the offset uniform in [-d, d], d = min(2, value - 1): a 1 stays 1 (a row never
# turns into 0, so a zero is a true zero), 2 becomes 1–3, 3 becomes 1–5, 4 becomes 2–6 …;
# values from the threshold up are exact. The draw is a keyed SHA-256 of what the row counts
# (organisation, month, type or group/point/stage) and its value — not of its sector, municipality
# or upload — so a corrected re-send of the same count draws the same value again, and a viewer
# who saw both versions learns nothing new.
MACROS = r"""
create or replace macro perturbed_count(value, protect_below, salt) as
case
    when value is null or protect_below is null or value < 2 or value >= protect_below then value
    else value
        + (('0x' || left(sha256((select any_value(key) from privacy_key) || '|' || salt), 15))::bigint
           % (2 * least(2, value - 1) + 1))
        - least(2, value - 1)
end;

create or replace macro activities_in_scope(from_month, to_month, org_codes, municipalities, sectors,
                                            protect_below, protected_types) as table
select * replace (
    case when activity_type = any(protected_types)
         then perturbed_count(count_activities, protect_below,
                              concat_ws('|', 'n', org_code, activity_month, activity_type, count_activities))
         else count_activities end as count_activities,
    perturbed_count(people_reached, protect_below,
                    concat_ws('|', 'p', org_code, activity_month, activity_type, people_reached)) as people_reached
)
from activities
where activity_month between from_month and to_month
  and (org_codes is null or org_code = any(org_codes))
  and (municipalities is null or municipality = any(municipalities))
  and (sectors is null or target_sector = any(sectors));

create or replace macro attitudes_in_scope(from_month, to_month, org_codes, sectors, protect_below) as table
select * replace (
    perturbed_count(count_respondents, protect_below,
                    concat_ws('|', 'r', org_code, answer_month, respondent_group, measurement_point,
                              attitude_stage, count_respondents)) as count_respondents
)
from attitudes
where answer_month between from_month and to_month
  and (org_codes is null or org_code = any(org_codes))
  and (sectors is null or target_sector = any(sectors));

create or replace macro grouped_activities_in_scope(from_month, to_month, org_codes, municipalities, sectors,
                                                    activity_types, activity_type_groups,
                                                    protect_below, protected_types) as table
with activity_groups as (
    select unnest(activity_types) as activity_type, unnest(activity_type_groups) as activity_group
)
select a.*, coalesce(g.activity_group, 'other') as activity_group
from activities_in_scope(from_month, to_month, org_codes, municipalities, sectors,
                         protect_below, protected_types) a
left join activity_groups g using (activity_type);
"""


def upgrade(cur) -> bool:
    cur.execute("create table privacy_key (key varchar not null)")
    cur.execute("insert into privacy_key values (?)", [secrets.token_hex(32)])
    cur.execute(MACROS)
    return False
