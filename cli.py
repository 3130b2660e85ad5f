"""Kokemusmittari from a shell: the same jobs as the app (shared/spec/cli.md).

Exit codes: 0 success · 1 the input was refused · 2 usage or setup error.
With --json, standard output holds exactly one JSON document; everything else goes to stderr.
"""

import argparse
import contextlib
import contextvars
import getpass
import io
import json
import os
import sys
from datetime import date
from pathlib import Path

import i18n
from i18n.formats import local_today

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
# a command the running app runs for another process (warehouse/jobs.py): its warehouse, and
# where the command's output goes (back to that process)
_SHARED = contextvars.ContextVar("shared_warehouse", default=None)
_STREAMS = contextvars.ContextVar("streams", default=None)
# commands that never go to the app: restore writes a warehouse no app may be serving
NOT_VIA_APP = {"restore"}


class UsageError(Exception):
    """Bad arguments or setup: exit code 2."""

    code = "usage"


class SettingsUnusable(UsageError):
    """A setting in secrets.toml or the environment the command cannot run with."""

    code = "settings"


class WarehouseInUse(UsageError):
    """Another process held the warehouse file for longer than the lock timeout."""

    code = "warehouse_busy"


class HeldByApp(Exception):
    """The running app serves this warehouse file: the command is handed to it."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


def _out():
    streams = _STREAMS.get()
    return streams[0] if streams else sys.stdout


def _err():
    streams = _STREAMS.get()
    return streams[1] if streams else sys.stderr


def _parse_month(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError as error:
        raise UsageError(f"not a month (YYYY-MM): {text!r}") from error


def _open(args):
    """The warehouse, or — when the running app serves its file — HeldByApp, so that main()
    hands the command to the app (warehouse/jobs.py)."""
    shared = _SHARED.get()
    if shared is not None:
        return contextlib.nullcontext(shared)
    from settings import load_settings
    from warehouse import WarehouseBusy, open_warehouse, shown_location
    from warehouse.jobs import app_alive

    settings = load_settings(db=args.db)
    if args.command not in NOT_VIA_APP and app_alive(settings.db):
        raise HeldByApp(settings.db)
    try:
        return open_warehouse(settings.db, settings)
    except WarehouseBusy as error:
        if args.command not in NOT_VIA_APP and app_alive(settings.db):
            raise HeldByApp(settings.db) from error
        raise WarehouseInUse(
            f"the warehouse {shown_location(settings.db)} is in use by another process, which did not let go of it"
            f" within {settings.lock_timeout:g} s (lock_timeout); try again when that import or command has ended"
        ) from error


def _emit(args, document: dict, lines: list[str]) -> None:
    out = _out()
    if args.json:
        json.dump(document, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    else:
        print("\n".join(lines), file=out)


def _problem_lines(checked, lang: str) -> list[str]:
    lines = []
    for kind, problems in (("error", checked.errors), ("warning", checked.warnings)):
        for p in problems:
            where = ", ".join(x for x in (p.sheet, f"row {p.row}" if p.row else None, p.column) if x)
            lines.append(f"  [{kind} {p.code}] {where}: {p.message(lang)}")
    return lines


def _read_input(path: str) -> tuple[str, bytes]:
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"no such file: {path}")
    return file.name, file.read_bytes()


def cmd_validate(args) -> int:
    from warehouse.imports import check_file

    name, data = _read_input(args.file)
    with _open(args) as wh:
        checked = check_file(wh, name, data, org_code=args.org)
    status = "OK" if checked.ok else "REFUSED"
    _emit(args, checked.summary(args.lang),
          [f"{checked.file_name}: {status}", *_problem_lines(checked, args.lang)])
    return EXIT_OK if checked.ok else EXIT_REFUSED


def cmd_import(args) -> int:
    from warehouse.imports import import_file
    from warehouse.ledger import PeriodLocked

    name, data = _read_input(args.file)
    with _open(args) as wh:
        try:
            outcome = import_file(wh, name, data, org_code=args.org, uploaded_by=args.by, source="cli")
        except PeriodLocked as error:   # locked anew before each of its stores: refused, nothing stored
            _emit(args, {"ok": False, "code": "locked_period", "message": str(error)}, [f"{name}: REFUSED: {error}"])
            return EXIT_REFUSED
    document = outcome.checked.summary(args.lang)
    lines = [f"{outcome.checked.file_name}: {'OK' if outcome.checked.ok else 'REFUSED'}",
             *_problem_lines(outcome.checked, args.lang)]
    if outcome.stored:
        s = outcome.stored
        document.update(upload_id=s.upload_id, replaced_rows=s.rows_replaced, added_rows=s.rows_added,
                        unchanged=s.unchanged, supersedes=list(s.superseded))
        lines.append(f"upload {s.upload_id}: added {s.rows_added}, replaced {s.rows_replaced}"
                     + (" (identical to what is stored: nothing changed)" if s.unchanged else ""))
    _emit(args, document, lines)
    return EXIT_OK if outcome.checked.ok else EXIT_REFUSED


def _period(args):
    from queries.periods import parse_period, period_from_range

    try:
        if args.period:
            return parse_period(args.period)
        if args.from_month and args.to_month:
            return period_from_range(args.from_month, args.to_month)
    except ValueError as error:
        raise UsageError(str(error)) from error
    raise UsageError("give --period PERIOD or both --from and --to")


def cmd_figures(args) -> int:
    from queries.figures import compute_figures
    from queries.scope import Scope
    from settings import load_settings

    period = _period(args)
    scope = Scope(org_codes=(args.org,) if args.org else None, municipalities=None, sectors=None,
                  exact=not args.suppress, threshold=load_settings().suppression_threshold)
    with _open(args) as wh:
        figures = compute_figures(wh, period, scope)
    _emit(args, figures, [json.dumps(figures, ensure_ascii=False, indent=2, default=str)])
    return EXIT_OK


def _pack_period(args, wh):
    """--period also takes last3, last6 and last12: the latest months with data, as in the app."""
    from queries.periods import ROLLING, data_end, latest_months
    from ui.context import data_span, data_version

    if args.period in ROLLING:
        span = data_span(wh, data_version(wh))
        return latest_months(data_end(local_today(), span[1] if span else None), ROLLING[args.period])
    return _period(args)


def cmd_board_pack(args) -> int:
    """The board pack of a period and scope as .pptx or .pdf (docs/board-pack.md)."""
    from boardpack import FORMATS, PackSettingError, build_pack
    from boardpack.deck import board_context, slide_count
    from settings import load_settings
    from warehouse.imports import registered_code

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(i18n.t(args.lang, "pack.bad_format", value=args.out))
    if not out.parent.is_dir():
        raise UsageError(f"no such folder: {out.parent}")
    settings = load_settings(db=args.db)
    with _open(args) as wh:
        period = _pack_period(args, wh)
        orgs = tuple(dict.fromkeys(registered_code(wh, code) for code in args.org)) if args.org else None
        ctx = board_context(wh, settings, period, args.lang, orgs, compare=args.compare)
        try:
            content = build_pack(ctx, fmt)
        except PackSettingError as error:
            raise UsageError(error.message(args.lang)) from error
    # written beside the target, then renamed: a reader never sees half a file
    part = out.with_name(out.name + ".part")
    part.write_bytes(content)
    part.replace(out)
    document = {"ok": True, "out": str(out.absolute()), "format": fmt, "slides": slide_count(), "bytes": len(content),
                "period": {"from": f"{period.from_month:%Y-%m}", "to": f"{period.to_month:%Y-%m}"},
                "orgs": list(orgs) if orgs else None, "lang": args.lang, "compare": args.compare}
    _emit(args, document, [f"board pack written: {out} ({slide_count()} slides, "
                           f"{period.from_month:%Y-%m}..{period.to_month:%Y-%m})"])
    return EXIT_OK


def cmd_demo(args) -> int:
    from demo.load import load_demo

    with _open(args) as wh:
        result = load_demo(wh, today=local_today(), only_if_empty=args.if_empty)
    _emit(args, result, [result["message"]])
    return EXIT_OK


def cmd_orgs_list(args) -> int:
    from warehouse.organisations import list_organisations

    with _open(args) as wh:
        orgs = list_organisations(wh)
    rows = [{"code": o.org_code, "name": o.org_name, "start": f"{o.start_month:%Y-%m}",
             "municipality": o.municipality, "aliases": list(o.aliases), "demo": o.is_demo}
            for o in orgs]
    _emit(args, {"organisations": rows},
          [f"{r['code']:<24} {r['start']}  {r['name']}" + (f"  ({', '.join(r['aliases'])})" if r["aliases"] else "")
           for r in rows] or ["(no organisations)"])
    return EXIT_OK


def cmd_orgs_add(args) -> int:
    from warehouse.organisations import RegistryError, add_organisation

    start = _parse_month(args.start) if args.start else local_today().replace(day=1)
    with _open(args) as wh:
        try:
            org = add_organisation(wh, args.code, args.name, start_month=start,
                                   municipality=args.municipality, aliases=tuple(args.alias or ()),
                                   actor=args.by)
        except RegistryError as error:
            raise UsageError(str(error)) from error
    _emit(args, {"code": org.org_code, "name": org.org_name, "start": f"{org.start_month:%Y-%m}"},
          [f"added {org.org_code}: {org.org_name}"])
    return EXIT_OK


def cmd_people_list(args) -> int:
    from warehouse.access import list_domain_rules, list_people

    with _open(args) as wh:
        people, rules = list_people(wh), list_domain_rules(wh)
    document = {"people": json.loads(people.to_json(orient="records", date_format="iso")),
                "domain_rules": json.loads(rules.to_json(orient="records", date_format="iso"))}
    lines = [f"{r.email:<40} {r.role:<11} {r.org_code or ''}" for r in people.itertuples()]
    lines += [f"@{r.domain:<39} {r.role:<11} {r.org_code or ''}" for r in rules.itertuples()]
    _emit(args, document, lines or ["(nobody may sign in)"])
    return EXIT_OK


def _access_change(args, change) -> int:
    from warehouse.access import AccessError

    with _open(args) as wh:
        try:
            change(wh)
        except AccessError as error:
            print(f"refused [{error.code}]: {error}", file=_err())
            if args.json:
                _emit(args, {"ok": False, "code": error.code}, [])
            return EXIT_REFUSED
    return EXIT_OK


def cmd_people_add(args) -> int:
    from warehouse.access import set_domain_rule, set_person

    def change(wh):
        if args.target.startswith("@"):
            set_domain_rule(wh, args.target, args.role, args.org, actor=args.by)
        else:
            set_person(wh, args.target, args.role, args.org, actor=args.by)

    code = _access_change(args, change)
    if code == EXIT_OK:
        _emit(args, {"ok": True, "target": args.target.lower(), "role": args.role, "org": args.org},
              [f"{args.target.lower()}: {args.role}" + (f" of {args.org}" if args.org else "")])
    return code


def cmd_people_remove(args) -> int:
    from warehouse.access import remove_domain_rule, remove_person

    def change(wh):
        if args.target.startswith("@"):
            remove_domain_rule(wh, args.target, actor=args.by)
        else:
            remove_person(wh, args.target, actor=args.by)

    code = _access_change(args, change)
    if code == EXIT_OK:
        _emit(args, {"ok": True, "target": args.target.lower()}, [f"removed {args.target.lower()}"])
    return code


def cmd_lock(args) -> int:
    from warehouse.access import lock_months, unlock_months

    months = [_parse_month(m) for m in args.month]
    counted: list[int] = []

    def change(wh):
        if args.command == "lock":
            counted.append(lock_months(wh, months, args.org, actor=args.by))
        else:
            counted.append(unlock_months(wh, months, args.org, actor=args.by, reason=args.reason))

    code = _access_change(args, change)
    if code == EXIT_OK:
        verb = "locked" if args.command == "lock" else "unlocked"
        _emit(args, {"ok": True, verb: counted[0], "org": args.org or "*"},
              [f"{verb} {counted[0]} month(s) for {args.org or 'the whole network'}"])
    return code


def cmd_uploads(args) -> int:
    from warehouse.ledger import list_uploads

    with _open(args) as wh:
        frame = list_uploads(wh, [args.org] if args.org else None)
    records = json.loads(frame.to_json(orient="records", date_format="iso"))
    _emit(args, {"uploads": records}, [frame.to_string(index=False)] if len(frame) else ["(no uploads)"])
    return EXIT_OK


def cmd_rollback(args) -> int:
    from warehouse.ledger import RollbackError, rollback_upload

    with _open(args) as wh:
        try:
            restored = rollback_upload(wh, args.upload_id, actor=args.by)
        except RollbackError as error:
            if error.code != "locked_period":
                raise UsageError(str(error)) from error
            # a refusal, not a mistake: the month is locked until leadership unlocks it
            print(f"refused [locked_period]: {error}", file=_err())
            if args.json:
                _emit(args, {"ok": False, "code": "locked_period", "upload_id": args.upload_id}, [])
            return EXIT_REFUSED
    _emit(args, {"upload_id": args.upload_id, "sheet_months": len(restored)},
          [f"upload {args.upload_id} rolled back ({len(restored)} sheet-months restored)"])
    return EXIT_OK


def cmd_rebuild(args) -> int:
    from settings import load_settings
    from warehouse import is_lake, open_warehouse, shown_location
    from warehouse.backup import holds_data
    from warehouse.rebuild import rebuild_from_archive

    if not is_lake(args.to) and Path(args.to).exists():
        raise UsageError(f"{args.to} exists: rebuild into a new file")
    target_settings = load_settings()
    with _open(args) as source, open_warehouse(args.to, target_settings) as target:
        if holds_data(target):
            raise UsageError(f"{shown_location(args.to)} holds data: rebuild into a new or empty warehouse")
        counts = rebuild_from_archive(source, target)
    _emit(args, counts, [f"rebuilt {shown_location(args.to)}: {counts['uploads']} uploads,"
                         f" {counts['rollbacks']} rollbacks"])
    return EXIT_OK


# a sheet that cannot be read: fix the sheet (1), or try again later / fix the setup (2)
_SHEET_REFUSED = {"not_shared", "not_found", "bad_address"}


def _sheet_failure(args, error, org: str | None, key: str | None) -> tuple[int, dict, str]:
    code = EXIT_REFUSED if error.code in _SHEET_REFUSED else EXIT_USAGE
    message = error.message(args.lang, account=_account(args))
    return code, {"org": org, "sheet_key": key, "status": "error", "code": error.code, "message": message}, \
        f"{org or '-'}: [{error.code}] {message}"


def _account(args) -> str:
    from data_sources.gsheets import SheetError, account_email
    from settings import load_settings

    try:
        return account_email(load_settings(db=args.db))
    except SheetError:
        return "?"


def _sync_document(outcome) -> dict:
    document = {"org": outcome.connection.org_code, "sheet_key": outcome.connection.sheet_key,
                "title": outcome.connection.title,
                "revision": {"version": outcome.revision.version, "modified_time": outcome.revision.modified_time}}
    if outcome.checked is None:
        return {**document, "status": "unchanged", "reason": "same revision as last read"}
    if not outcome.checked.ok:
        return {**document, "status": "refused", "errors": outcome.checked.summary()["errors"]}
    stored = outcome.stored
    return {**document, "title": outcome.checked.file_name, "status": "unchanged" if stored.unchanged else "stored",
            "upload_id": stored.upload_id, "added_rows": stored.rows_added, "replaced_rows": stored.rows_replaced}


def cmd_sheets_connect(args) -> int:
    """Connect an organisation's Google Sheet and store what it holds at once (when it passes)."""
    from data_sources.gsheets import SheetError, client_for, read_sheet, sheet_key
    from settings import load_settings
    from warehouse.sheets import apply_sheet, connect_sheet

    settings = load_settings(db=args.db)
    # the sheet is read once the warehouse is reached: while the app serves it, the app reads it
    with _open(args) as wh:
        try:
            content = read_sheet(client_for(settings), sheet_key(args.address), settings)
        except SheetError as error:
            code, document, line = _sheet_failure(args, error, args.org, None)
            print(line, file=_err())
            _emit(args, {"ok": False, **document}, [])
            return code
        connection = connect_sheet(wh, args.org, content, actor=args.by)
        outcome = apply_sheet(wh, content, connection, uploaded_by=args.by, settings=settings)
    document = _sync_document(outcome)
    _emit(args, {"ok": outcome.ok, **document}, [f"{document['org']}: {document['title']} — {document['status']}"])
    return EXIT_OK if outcome.ok else EXIT_REFUSED


def cmd_sheets_list(args) -> int:
    from warehouse.sheets import connections

    with _open(args) as wh:
        found = connections(wh)
    rows = [{"org": c.org_code, "sheet_key": c.sheet_key, "title": c.title, "connected_by": c.connected_by,
             "connected_at": c.connected_at, "last_version": c.last_version, "last_synced_at": c.last_synced_at,
             "last_upload_id": c.last_upload_id} for c in found]
    _emit(args, {"sheets": rows}, [f"{r['org']:<20} {r['title']}  (version {r['last_version'] or '-'})"
                                   for r in rows] or ["(no connected sheets)"])
    return EXIT_OK


def cmd_sync(args) -> int:
    """Read every connected sheet (or one organisation's) again; store those that changed."""
    from data_sources.gsheets import SheetError, client_for
    from settings import load_settings
    from warehouse.imports import registered_code
    from warehouse.sheets import connections, sync_sheet

    settings = load_settings(db=args.db)
    results, lines, code = [], [], EXIT_OK
    with _open(args) as wh:
        chosen = connections(wh, registered_code(wh, args.org) if args.org else None)
        if args.org and not chosen:
            raise UsageError(f"no sheet is connected for {args.org} (see: cli.py sheets connect)")
        try:
            client = client_for(settings) if chosen else None
        except SheetError as error:
            raise UsageError(error.message(args.lang)) from error
        for connection in chosen:
            try:
                outcome = sync_sheet(wh, client, connection, uploaded_by=args.by, settings=settings,
                                     force=args.force)
            except SheetError as error:
                failed, document, line = _sheet_failure(args, error, connection.org_code, connection.sheet_key)
                results.append(document)
                lines.append(line)
                code = max(code, failed)
                continue
            document = _sync_document(outcome)
            results.append(document)
            lines.append(f"{document['org']}: {document['title']} — {document['status']}")
            if document["status"] == "refused":
                code = max(code, EXIT_REFUSED)
    _emit(args, {"ok": code == EXIT_OK, "sheets": results}, lines or ["(no connected sheets)"])
    return code


def cmd_check(args) -> int:
    """Whether what the ledger keeps beside the rows — which rows are in force, and each protected
    count's perturbed value — agrees with the upload pointers and the privacy key (it always should:
    every upload and rollback keeps them in its own transaction); --repair rewrites what does not."""
    from warehouse import rows_in_force
    from warehouse.audit import record_event

    def counted(wh) -> dict[str, int]:
        cur = wh.cursor()
        try:
            return rows_in_force.check(cur)
        finally:
            cur.close()

    with _open(args) as wh:
        found = counted(wh)
        wrong = {table: count for table, count in found.items() if count}
        left = wrong
        if wrong and args.repair:
            def _change(cur):
                rows_in_force.refresh(cur, tuple(wrong))
                record_event(cur, args.by, "rows_refreshed", details={"rows": wrong})

            wh.write(_change)
            left = {table: count for table, count in counted(wh).items() if count}
    lines = [f"{table}: {count} rows out of step" for table, count in wrong.items()] or \
        ["every row in force, and every perturbed count, agrees with the ledger and the privacy key"]
    if wrong and args.repair:
        lines.append("repaired" if not left else f"still out of step after the repair: {left}")
    elif wrong:
        lines.append("run again with --repair to rewrite them from the ledger and the key")
    _emit(args, {"ok": not left, "rows_out_of_step": found, "repaired": bool(wrong and args.repair)}, lines)
    return EXIT_OK if not left else EXIT_REFUSED


def cmd_backup(args) -> int:
    from warehouse.backup import BackupError, backup

    out = Path(args.out).absolute()
    if not out.parent.is_dir():
        raise UsageError(f"no such folder: {out.parent}")
    with _open(args) as wh:
        try:
            held = backup(wh, out)
        except BackupError as error:
            raise UsageError(str(error)) from error
    _emit(args, {"ok": True, "out": str(out), "bytes": out.stat().st_size, **held},
          [f"backup written: {out} ({held['uploads']} uploads, {held['organisations']} organisations)"])
    return EXIT_OK


def cmd_restore(args) -> int:
    from settings import load_settings
    from warehouse import shown_location
    from warehouse.backup import BackupError, restore
    from warehouse.jobs import app_alive

    target = load_settings(db=args.db).db
    if app_alive(target):
        raise UsageError(f"the app serves {target}: stop it, restore, then start it again")
    try:
        held = restore(Path(args.file), target, load_settings(db=args.db))
    except BackupError as error:
        raise UsageError(str(error)) from error
    _emit(args, {"ok": True, "warehouse": shown_location(target), **held},
          [f"restored {args.file} into {shown_location(target)} ({held['uploads']} uploads,"
           f" {held['organisations']} organisations)"])
    return EXIT_OK


def cmd_template(args) -> int:
    from data_sources.templates import template_csv, template_workbook

    out = Path(args.out)
    if out.suffix.lower() == ".csv":
        if not args.sheet:
            raise UsageError("a CSV template is one sheet: add --sheet toiminta|asenteet|kysynta|kapasiteetti")
        out.write_bytes(template_csv(args.sheet, args.lang))
    elif out.suffix.lower() == ".xlsx":
        out.write_bytes(template_workbook(args.lang))
    else:
        raise UsageError("--out must end in .xlsx or .csv")
    _emit(args, {"file": str(out)}, [f"wrote {out}"])
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="warehouse file (default: KOKEMUSMITTARI_DB, secrets, data/)")
    common.add_argument("--json", action="store_true", help="one JSON document on stdout")
    common.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)
    common.add_argument("--by", default=getpass.getuser(), help="who does this (for the audit log)")

    parser = argparse.ArgumentParser(prog="cli.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", parents=[common], help="check a file, store nothing")
    p.add_argument("file")
    p.add_argument("--org")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("import", parents=[common], help="check a file and store it")
    p.add_argument("file")
    p.add_argument("--org", required=True)
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("figures", parents=[common], help="the figures of a period")
    p.add_argument("--period")
    p.add_argument("--from", dest="from_month")
    p.add_argument("--to", dest="to_month")
    p.add_argument("--org")
    p.add_argument("--suppress", action="store_true", help="hide counts under the threshold")
    p.set_defaults(run=cmd_figures)

    p = sub.add_parser("board-pack", parents=[common], help="the board pack of a period (.pptx or .pdf)")
    p.add_argument("--period", help="2026H1, 2026Q3, 2026-05, 2026-01..2026-06, 2026, or last3/last6/last12")
    p.add_argument("--from", dest="from_month")
    p.add_argument("--to", dest="to_month")
    p.add_argument("--org", action="append", help="an organisation (repeat for several); default: the network")
    p.add_argument("--compare", choices=("previous", "year"), default="previous")
    p.add_argument("--out", required=True, help="FILE.pptx or FILE.pdf")
    p.set_defaults(run=cmd_board_pack)

    p = sub.add_parser("demo", parents=[common], help="(re)load the demo network")
    p.add_argument("--if-empty", action="store_true", help="only when the warehouse is empty")
    p.set_defaults(run=cmd_demo)

    orgs = sub.add_parser("orgs", help="the organisation registry").add_subparsers(dest="orgs", required=True)
    p = orgs.add_parser("list", parents=[common])
    p.set_defaults(run=cmd_orgs_list)
    p = orgs.add_parser("add", parents=[common])
    p.add_argument("code")
    p.add_argument("--name", required=True)
    p.add_argument("--alias", action="append")
    p.add_argument("--start", help="YYYY-MM, the first month it is expected to report")
    p.add_argument("--municipality")
    p.set_defaults(run=cmd_orgs_add)

    people = sub.add_parser("people", help="who may sign in, in which role").add_subparsers(
        dest="people", required=True)
    p = people.add_parser("list", parents=[common])
    p.set_defaults(run=cmd_people_list)
    p = people.add_parser("add", parents=[common], help="add a person, or @domain for a rule")
    p.add_argument("target", help="an e-mail address, or @domain.fi for everyone there")
    p.add_argument("--role", required=True, choices=("leadership", "member", "board"))
    p.add_argument("--org", help="the member's organisation (member role only)")
    p.set_defaults(run=cmd_people_add)
    p = people.add_parser("remove", parents=[common])
    p.add_argument("target", help="an e-mail address, or @domain.fi")
    p.set_defaults(run=cmd_people_remove)

    for name, helptext in (("lock", "lock reviewed months"), ("unlock", "unlock months, with a reason")):
        p = sub.add_parser(name, parents=[common], help=helptext)
        p.add_argument("--month", action="append", required=True, help="YYYY-MM (repeat for several)")
        p.add_argument("--org", help="one organisation; without it, the whole network")
        if name == "unlock":
            p.add_argument("--reason", required=True, help="why (kept in the audit log; no personal data)")
        p.set_defaults(run=cmd_lock)

    p = sub.add_parser("uploads", parents=[common], help="the uploads ledger")
    p.add_argument("--org")
    p.set_defaults(run=cmd_uploads)

    p = sub.add_parser("rollback", parents=[common], help="withdraw an upload")
    p.add_argument("upload_id", type=int)
    p.set_defaults(run=cmd_rollback)

    p = sub.add_parser("rebuild", parents=[common], help="rebuild a warehouse from the archive")
    p.add_argument("--to", required=True, help="a new warehouse file")
    p.set_defaults(run=cmd_rebuild)

    sheets = sub.add_parser("sheets", help="Google Sheets connected as sources").add_subparsers(
        dest="sheets", required=True)
    p = sheets.add_parser("connect", parents=[common], help="connect an organisation's sheet and read it")
    p.add_argument("address", help="the sheet's address (https://docs.google.com/spreadsheets/d/…) or key")
    p.add_argument("--org", required=True)
    p.set_defaults(run=cmd_sheets_connect)
    p = sheets.add_parser("list", parents=[common])
    p.set_defaults(run=cmd_sheets_list)

    p = sub.add_parser("sync", parents=[common], help="read every connected Google Sheet again")
    p.add_argument("--org", help="only this organisation's sheet")
    p.add_argument("--force", action="store_true", help="read the sheet even if its revision is the one last read")
    p.set_defaults(run=cmd_sync)

    p = sub.add_parser("check", parents=[common],
                       help="whether the rows in force and their perturbed counts agree with the ledger")
    p.add_argument("--repair", action="store_true", help="rewrite the rows that do not, from the ledger and the key")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("backup", parents=[common], help="a consistent copy of the warehouse, also while the app runs")
    p.add_argument("--out", required=True, help="a new file")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="put a backup into a new or empty warehouse")
    p.add_argument("file", help="a file written by backup")
    p.set_defaults(run=cmd_restore)

    p = sub.add_parser("template", parents=[common], help="write the empty template")
    p.add_argument("--out", required=True, help="FILE.xlsx, or FILE.csv with --sheet")
    p.add_argument("--sheet", choices=("toiminta", "asenteet", "kysynta", "kapasiteetti"))
    p.set_defaults(run=cmd_template)
    _no_abbreviations(parser)
    return parser


def _no_abbreviations(parser: argparse.ArgumentParser) -> None:
    """No abbreviated options anywhere: the command line handed to the app is rewritten option
    by option (an abbreviated --out would escape that)."""
    parser.allow_abbrev = False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _no_abbreviations(child)


# the options that name a file, by command (`--to` is a month elsewhere): made absolute
# before the app runs the command
_PATH_OPTIONS = {"rebuild": ("--to",), "board-pack": ("--out",), "backup": ("--out",)}


def _for_app(argv: list[str], args) -> list[str]:
    """The command line as the app runs it: files as absolute paths (the app has its own
    working directory), and who runs it named (the app runs as another user, perhaps)."""
    options = _PATH_OPTIONS.get(args.command, ())
    out, paths = [], {getattr(args, "file", None)} - {None}
    after_option = False
    for token in argv:
        name, equals, value = token.partition("=")
        if equals and name in options and not value.startswith("ducklake:"):
            token = f"{name}={os.path.abspath(value)}"
        elif (after_option and not token.startswith("ducklake:")) or (token in paths and not token.startswith("-")):
            token = os.path.abspath(token)
        after_option = token in options
        out.append(token)
    if "--by" in argv:
        return out
    # who runs it goes before a "--" (after it, everything is an argument)
    cut = out.index("--") if "--" in out else len(out)
    return [*out[:cut], "--by", args.by, *out[cut:]]


def _via_app(argv: list[str], args, location: str) -> int:
    from settings import load_settings
    from warehouse.jobs import JobTimeout, submit

    timeout = load_settings(db=args.db).lock_timeout
    print(f"the app serves {location}: the command runs there", file=_err())
    try:
        result = submit(location, {"argv": _for_app(argv, args)}, timeout=timeout)
    except JobTimeout as error:
        raise WarehouseInUse(f"the app serving {location} did not run the command within {timeout:g} s"
                             f" (lock_timeout): {error}") from error
    _out().write(result.get("stdout", ""))
    _err().write(result.get("stderr", ""))
    return int(result.get("code", EXIT_USAGE))


def run_for_app(warehouse, argv: list[str]) -> dict:
    """Run a command inside the app, on the app's own warehouse (warehouse/jobs.py): what it
    printed and its exit code, for the process that handed it over. The app's settings are the
    ones that count (they are the deployment's); a command that is never handed over is refused."""
    if not argv or argv[0] in NOT_VIA_APP or argv[0] not in _commands():
        return {"code": EXIT_USAGE, "stdout": "", "stderr": "error: the app does not run this command\n"}
    out, err = io.StringIO(), io.StringIO()
    streams, shared = _STREAMS.set((out, err)), _SHARED.set(warehouse)
    try:
        code = main(argv)
    finally:
        _STREAMS.reset(streams)
        _SHARED.reset(shared)
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def _commands() -> set[str]:
    return {name for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        with contextlib.redirect_stderr(_err()):   # argparse's own words go where the command's go
            args = parser.parse_args(argv)
    except SystemExit as exit_:
        if exit_.code and "--json" in argv:        # --json promises one document, a usage error too
            json.dump({"ok": False, "code": "usage", "message": "the command line could not be read"}, _out())
            _out().write("\n")
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    from settings import SettingsError
    from warehouse import WarehouseBusy
    from warehouse.imports import UnknownOrganisation

    try:
        try:
            try:
                return args.run(args)
            except HeldByApp as held:
                return _via_app(argv, args, held.location)
            except WarehouseBusy as error:
                raise WarehouseInUse(f"the warehouse is in use by another process: {error}") from error
        except (UsageError, UnknownOrganisation):
            raise
        except SettingsError as error:   # a setting the command would misread: which, and what it must be
            raise SettingsUnusable(str(error)) from error
        except Exception as error:  # an error no one foresaw: said in one line (the detail to the log)
            import logging

            logging.getLogger("kokemusmittari.cli").debug("command failed", exc_info=True)
            raise UsageError(f"the command failed: {type(error).__name__}: {error}") from error
    except (UsageError, UnknownOrganisation) as error:
        print(f"error: {error}", file=_err())
        if getattr(args, "json", False):   # --json promises one document, also for a refusal to run
            _emit(args, {"ok": False, "code": getattr(error, "code", "usage"), "message": str(error)}, [])
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
