-- 007: Google Sheets as a source. Each organisation may have one connected sheet; the ledger
-- records for an upload from a sheet which sheet (its key) and which revision of it was read.

create table sheet_connections (
    org_code varchar primary key,
    sheet_key varchar not null,
    title varchar not null,               -- the sheet's title when it was connected or last read
    connected_by varchar not null,
    connected_at timestamp not null,
    last_version varchar,                 -- Drive's version and modifiedTime of the last read
    last_modified varchar,
    last_synced_at timestamp,
    last_upload_id bigint
);

alter table uploads add column source_ref varchar;        -- a sheet's key (null for a file)
alter table uploads add column source_revision varchar;   -- 'version 12, 2026-12-01T09:30:00.000Z'
