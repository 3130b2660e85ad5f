-- 006: who may sign in and what each may see and do, and months locked per organisation.
-- A person is matched by e-mail first, then by the domain of the e-mail (a rule per
-- organisation); nobody else has any access. The network-wide locks stay in locked_months.

create table people (
    email varchar primary key,            -- lower case
    role varchar not null check (role in ('leadership', 'member', 'board')),
    org_code varchar,                     -- a member's organisation; null for the others
    added_at timestamp not null,
    added_by varchar not null,
    check ((role = 'member') = (org_code is not null))
);

create table domain_rules (
    domain varchar primary key,           -- lower case, without '@'
    role varchar not null check (role in ('member', 'board')),
    org_code varchar,
    added_at timestamp not null,
    added_by varchar not null,
    check ((role = 'member') = (org_code is not null))
);

create table organisation_locked_months (
    org_code varchar not null,
    period_month date not null,
    locked_at timestamp not null,
    locked_by varchar not null,
    primary key (org_code, period_month)
);
