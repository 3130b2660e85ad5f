-- 002: the viewer's scope in one place. Every query reads the rows in force through these
-- table macros, so a period and a scope (organisations, municipalities, sectors; null = all,
-- an empty list = none) are applied the same way everywhere — and, later, from the login.

create macro activities_in_scope(from_month, to_month, org_codes, municipalities, sectors) as table
select *
from activities
where activity_month between from_month and to_month
  and (org_codes is null or org_code = any(org_codes))
  and (municipalities is null or municipality = any(municipalities))
  and (sectors is null or target_sector = any(sectors));

-- attitude rows have no municipality
create macro attitudes_in_scope(from_month, to_month, org_codes, sectors) as table
select *
from attitudes
where answer_month between from_month and to_month
  and (org_codes is null or org_code = any(org_codes))
  and (sectors is null or target_sector = any(sectors));

-- capacity rows have neither municipality nor sector
create macro capacity_in_scope(from_month, to_month, org_codes) as table
select *
from capacity
where capacity_month between from_month and to_month
  and (org_codes is null or org_code = any(org_codes));

-- requests from the public sector only; from_month null = no lower bound (a backlog)
create macro public_demand_in_scope(from_month, to_month, org_codes, municipalities, sectors, public_sectors) as table
select *
from demand
where (from_month is null or received_month >= from_month)
  and received_month <= to_month
  and requesting_sector = any(public_sectors)
  and (org_codes is null or org_code = any(org_codes))
  and (municipalities is null or municipality = any(municipalities))
  and (sectors is null or requesting_sector = any(sectors));
