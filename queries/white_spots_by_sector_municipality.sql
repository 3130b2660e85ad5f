-- White spots: public sector × municipality pairs with no activity (target_sector × municipality) and no request (requesting_sector × municipality, any status) in the 12 months ending with $to_month; one row per white spot.
-- Municipalities = home municipalities of the organisations in scope and every municipality in their rows in force (any time); last_contact_month = latest activity or request there before the window (null = never).
-- Params: $to_month, $org_codes, $municipalities, $sectors, $public_sectors

with

organisations_in_scope as (
    select *
    from organisations
    where ($org_codes is null or list_contains($org_codes, org_code))
),

activity_contacts as (
    select activity_month as contact_month, target_sector as sector, municipality
    from activities
    where activity_month <= $to_month
      and ($org_codes is null or list_contains($org_codes, org_code))
),

request_contacts as (
    select received_month as contact_month, requesting_sector as sector, municipality
    from demand
    where received_month <= $to_month
      and ($org_codes is null or list_contains($org_codes, org_code))
),

contacts as (
    select * from activity_contacts
    union all
    select * from request_contacts
),

-- the latest contact per sector (null too) and municipality: one pass over the rows, for both
-- the municipalities and the last contacts below
latest_contacts as (
    select sector, municipality, max(contact_month) as last_contact_month
    from contacts
    where municipality is not null
    group by sector, municipality
),

municipalities as (
    -- '?' is a row whose municipality was off the official list: no place to be a white spot
    select municipality from organisations_in_scope where municipality is not null
    union
    select municipality from latest_contacts where municipality <> '?'
),

sectors as (
    select unnest($public_sectors) as sector, generate_subscripts($public_sectors, 1) as sector_order
),

candidate_pairs as (
    select sectors.sector, sectors.sector_order, municipalities.municipality
    from sectors
    cross join municipalities
    where ($municipalities is null or list_contains($municipalities, municipalities.municipality))
      and ($sectors is null or list_contains($sectors, sectors.sector))
),

last_contacts as (
    select sector, municipality, last_contact_month
    from latest_contacts
    where sector is not null
),

final as (
    select
        candidate_pairs.sector,
        candidate_pairs.municipality,
        last_contacts.last_contact_month
    from candidate_pairs
    left join last_contacts using (sector, municipality)
    where last_contacts.last_contact_month is null
       or last_contacts.last_contact_month < $to_month::date - interval 11 month
    order by candidate_pairs.municipality, candidate_pairs.sector_order
)

select * from final
