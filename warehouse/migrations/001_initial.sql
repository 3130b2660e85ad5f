-- 001: the organisation registry, the uploads ledger and archive, the four sheets' rows,
-- period locks and the audit log. Rows are never deleted: current_sheet_months says
-- which upload is in force for each organisation × sheet × month, and the views
-- activities / attitudes / demand / capacity show only the rows in force.

create table organisations (
    org_code varchar primary key,
    org_name varchar not null,
    start_month date not null,
    municipality varchar,
    is_demo boolean not null default false,
    created_at timestamp not null default current_timestamp
);

create table organisation_aliases (
    alias_key varchar primary key,     -- normalised: lower case, single spaces
    alias varchar not null,
    org_code varchar not null
);

create sequence upload_id_seq start 1;

create table uploads (
    upload_id bigint primary key,
    uploaded_at timestamp not null,
    uploaded_by varchar not null,
    org_code varchar,                  -- the organisation it was sent for; null = network staff
    file_name varchar not null,
    content_hash varchar not null,
    file_type varchar not null,
    source varchar not null,           -- app, cli, demo, gsheets, rebuild
    rows_added integer not null,
    rows_replaced integer not null,
    supersedes bigint[] not null,
    rolled_back_at timestamp,
    rolled_back_by varchar
);

create table upload_sheet_months (
    upload_id bigint not null,
    org_code varchar not null,
    sheet varchar not null,
    period_month date not null,
    count_rows integer not null,
    primary key (upload_id, org_code, sheet, period_month)
);

create table current_sheet_months (
    org_code varchar not null,
    sheet varchar not null,
    period_month date not null,
    upload_id bigint not null,
    primary key (org_code, sheet, period_month)
);

create table archive_files (
    content_hash varchar primary key,
    file_name varchar not null,
    size_bytes bigint not null,
    content blob not null,
    archived_at timestamp not null
);

create table activity_rows (
    upload_id bigint not null,
    source_row integer,
    org_code varchar not null,
    activity_month date not null,
    activity_type varchar not null,
    count_activities bigint not null,
    experts_involved bigint,
    people_reached bigint,
    hours double,
    target_sector varchar,
    municipality varchar,
    feedback double
);

create table attitude_rows (
    upload_id bigint not null,
    source_row integer,
    org_code varchar not null,
    answer_month date not null,
    respondent_group varchar not null,
    measurement_point varchar not null,
    attitude_stage smallint not null,
    count_respondents bigint not null,
    target_sector varchar
);

create table demand_rows (
    upload_id bigint not null,
    source_row integer,
    org_code varchar not null,
    received_month date not null,
    requesting_sector varchar not null,
    request_type varchar,
    status varchar not null,
    reason varchar,
    municipality varchar,
    count_sessions bigint not null
);

create table capacity_rows (
    upload_id bigint not null,
    source_row integer,
    org_code varchar not null,
    capacity_month date not null,
    count_trained bigint not null,
    count_active bigint not null,
    hours_available double
);

create table locked_months (
    period_month date primary key,
    locked_at timestamp not null,
    locked_by varchar not null
);

create sequence audit_id_seq start 1;

create table audit_log (
    event_id bigint primary key default nextval('audit_id_seq'),
    event_at timestamp not null default current_timestamp,
    actor varchar not null,
    action varchar not null,
    org_code varchar,
    upload_id bigint,
    file_name varchar,
    details json
);

create view activities as
select r.*
from activity_rows r
join current_sheet_months c
  on c.upload_id = r.upload_id and c.org_code = r.org_code
 and c.sheet = 'toiminta' and c.period_month = r.activity_month;

create view attitudes as
select r.*
from attitude_rows r
join current_sheet_months c
  on c.upload_id = r.upload_id and c.org_code = r.org_code
 and c.sheet = 'asenteet' and c.period_month = r.answer_month;

create view demand as
select r.*
from demand_rows r
join current_sheet_months c
  on c.upload_id = r.upload_id and c.org_code = r.org_code
 and c.sheet = 'kysynta' and c.period_month = r.received_month;

create view capacity as
select r.*
from capacity_rows r
join current_sheet_months c
  on c.upload_id = r.upload_id and c.org_code = r.org_code
 and c.sheet = 'kapasiteetti' and c.period_month = r.capacity_month;
