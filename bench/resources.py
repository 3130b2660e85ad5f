"""Resource bounds: each hostile file, and the largest valid files the limits accept, checked by
check_upload in a fresh process, with its wall time, CPU time and peak RSS printed next to a
baseline measured the same way in the same run (a small valid file), as ratios.

    .venv/bin/python bench/resources.py                 # every case, this tree
    .venv/bin/python bench/resources.py blank_lines.csv three_sheets.xlsx
    .venv/bin/python bench/resources.py --root /tmp/before --timeout 60

The files are generated once, by this tree, into a temporary folder; `--root` checks them with
another checkout (e.g. `git archive <commit> | tar -x -C /tmp/before`) for before/after figures.
Each check runs alone in its own process (peak RSS from os.wait4, so one case never inflates
another's), with a virtual-memory cap so that a parser that would take the machine down fails
instead. The bound to meet on a 2-core machine: every file up to the upload limit answered in
under 10 s of wall time with a peak under 400 MB. Not part of `make test`.
"""

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 1, 15)
MEMORY_CAP = 6 * 1024**3          # virtual bytes a child may map
WALL_BOUND, RSS_BOUND_MB = 10.0, 400

HEADER = ("Organisaatio;Päivämäärä;Toimintamuoto;Lukumäärä;Kokemustoimijoita;"
          "Tavoitetut henkilöt;Tunnit;Kohdesektori;Kunta;Palaute")
TYPES = ("Vertaistukitapaaminen", "Ammattilaisten koulutus", "Paneeli", "Media")
SECTORS = ("Lastensuojelu (sosiaalityö)", "Neuvola", "Koulu", "Perhekeskus")
TOWNS = ("Turku", "Salo", "Kaarina", "Helsinki", "Närpiö")


# ------------------------------------------------------------------------------- the files

def valid_csv_rows(count: int, seed: int = 1) -> list[str]:
    """Template rows (one event each) that pass validation for the organisation aurinko."""
    rng = random.Random(seed)
    return [f"Aurinko ry;{rng.randint(1, 28)}.{rng.randint(1, 12)}.2025;{rng.choice(TYPES)};"
            f"{rng.randint(1, 5)};{rng.randint(1, 4)};{rng.randint(1, 40)};{rng.randint(1, 30)},5;"
            f"{rng.choice(SECTORS)};{rng.choice(TOWNS)};4,{rng.randint(0, 9)}" for _ in range(count)]


def csv_file(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def baseline() -> bytes:
    return csv_file([HEADER] + valid_csv_rows(10))


def million_columns() -> bytes:
    """A 7.9 MB CSV: a header of a million column names and one row of a million values."""
    return csv_file([HEADER + "".join(f";c{i}" for i in range(1_000_000)),
                     valid_csv_rows(1)[0] + ";1" * 1_000_000])


def blank_lines() -> bytes:
    return csv_file([HEADER] + valid_csv_rows(10)) + b"\n" * (10 * 1024 * 1024)


def short_rows(limit_bytes: int) -> bytes:
    """Just under the upload limit of rows of two short fields."""
    head = csv_file([HEADER])
    return head + b"1;2\n" * ((limit_bytes - len(head) - 1) // 4)


def quoted_line_breaks(limit_bytes: int) -> bytes:
    """Cells of 100,000 line breaks each: a handful of rows, tens of millions of lines."""
    cell = '"' + "\n" * 100_000 + '"'
    return csv_file([HEADER, ";".join([cell] * ((limit_bytes - 200) // len(cell)))])


def error_rows(count: int) -> bytes:
    """Rows that pass the grid limits and fail validation in every column."""
    return csv_file([HEADER] + ["Kuu ry;32.13.2025;Tanssi;x;y;z;w;Avaruus;Atlantis;9"] * count)


def largest_valid_csv(settings) -> bytes:
    return csv_file([HEADER] + valid_csv_rows(settings.max_rows - 1))


def widest_valid_csv(settings) -> bytes:
    """The template's columns and note columns up to max_columns, as many rows as max_cells
    allows: every cell filled, most of them free text for the personal-data guard."""
    columns = settings.max_columns
    rows = min(settings.max_rows, settings.max_cells // columns) - 1
    notes = columns - HEADER.count(";") - 1
    header = HEADER + "".join(f";Huomio {i}" for i in range(notes))
    body = [row + f";kohta {i % 7} meni hyvin" * notes for i, row in enumerate(valid_csv_rows(rows))]
    return csv_file([header] + body)


def largest_valid_xlsx(settings) -> bytes:
    """The service's own template filled with as many rows as the row limit leaves."""
    import pandas as pd
    from python_calamine import CalamineWorkbook

    from data_sources.templates import filled_workbook
    from data_sources.vocabulary import SHEET_COLUMNS

    empty = CalamineWorkbook.from_filelike(io.BytesIO(filled_workbook({}, "fi", org_label="Aurinko ry")))
    template_rows = sum(sheet.start[0] + sheet.height for sheet in map(empty.get_sheet_by_name, empty.sheet_names))
    rng = random.Random(2)
    count = settings.max_rows - template_rows
    rows = [{"activity_month": date(2025, rng.randint(1, 12), 1),
             "activity_type": rng.choice(["vertaistukitapaaminen", "koulutus", "paneeli"]),
             "count_activities": rng.randint(1, 5), "experts_involved": rng.randint(1, 4),
             "people_reached": rng.randint(1, 40), "hours": rng.randint(1, 30) + 0.5,
             "target_sector": rng.choice(["lastensuojelu", "neuvola", "koulu"]),
             "municipality": rng.choice(["Turku", "Salo", "Kaarina"]), "feedback": 4.5}
            for _ in range(count)]
    columns = [c for c in SHEET_COLUMNS["toiminta"] if c != "source_row"]
    return filled_workbook({"toiminta": pd.DataFrame(rows, columns=columns)}, "fi", org_label="Aurinko ry")


PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def xlsx_from_sheet_xml(sheets: dict[str, object], shared_strings: bytes | None = None) -> bytes:
    """A minimal xlsx written part by part: `sheets` maps a tab name to an iterable of the
    sheet XML's pieces, so a sheet of millions of cells never sits in memory whole."""
    names = list(sheets)
    parts = [("/xl/workbook.xml", "sheet.main", "officeDocument", "xl/workbook.xml")]
    parts += [(f"/xl/worksheets/sheet{i + 1}.xml", "worksheet", "worksheet", f"worksheets/sheet{i + 1}.xml")
              for i in range(len(names))]
    if shared_strings:
        parts.append(("/xl/sharedStrings.xml", "sharedStrings", "sharedStrings", "sharedStrings.xml"))
    types = "".join(f'<Override PartName="{name}" ContentType="{CONTENT_TYPE}.{kind}+xml"/>'
                    for name, kind, _, _ in parts)
    relationships = "".join(f'<Relationship Id="rId{i}" Type="{OFFICE}/{kind}" Target="{target}"/>'
                            for i, (_, _, kind, target) in enumerate(parts[1:], start=1))
    tabs = "".join(f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, name in enumerate(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", f'<Types xmlns="{PACKAGE}/content-types">'
                      '<Default Extension="xml" ContentType="application/xml"/>' + types + "</Types>")
        book.writestr("_rels/.rels", f'<Relationships xmlns="{PACKAGE}/relationships">'
                      f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
                      "</Relationships>")
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{SPREADSHEET}" xmlns:r="{OFFICE}">'
                      f"<sheets>{tabs}</sheets></workbook>")
        book.writestr("xl/_rels/workbook.xml.rels",
                      f'<Relationships xmlns="{PACKAGE}/relationships">{relationships}</Relationships>')
        if shared_strings:
            book.writestr("xl/sharedStrings.xml", shared_strings)
        for i, name in enumerate(names):
            with book.open(f"xl/worksheets/sheet{i + 1}.xml", "w", force_zip64=True) as part:
                for piece in sheets[name]:
                    part.write(piece)
    return out.getvalue()


def sheet_xml(rows, head: bytes = b"") -> object:
    yield f'<worksheet xmlns="{SPREADSHEET}"><sheetData>'.encode() + head
    yield from rows
    yield b"</sheetData></worksheet>"


def three_sheets() -> bytes:
    """Three sheets of 250,000 rows × 13 numbers (3.25 M cells each), cells without references
    (the tag-by-tag scan, the slower one), values varied enough to stay under the ratio rule."""
    rng = random.Random(3)
    pool = [b"<row>" + b"".join(b"<c><v>%d</v></c>" % rng.randint(1, 99) for _ in range(13)) + b"</row>"
            for _ in range(4000)]

    def rows():
        for _ in range(250):
            yield b"".join(rng.choice(pool) for _ in range(1000))

    return xlsx_from_sheet_xml({name: sheet_xml(rows()) for name in ("Toiminta", "Asenteet", "Kysyntä")})


def far_value_xlsx() -> bytes:
    """One value, in XFD1048576: a grid of 17 billion cells."""
    return xlsx_from_sheet_xml({"Toiminta": sheet_xml(
        [b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'])})


def claimed_strings_xlsx() -> bytes:
    """sharedStrings.xml claiming forty billion strings and holding one."""
    return xlsx_from_sheet_xml(
        {"Toiminta": sheet_xml([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])},
        shared_strings=f'<sst xmlns="{SPREADSHEET}" count="1" uniqueCount="40000000000">'
                       "<si><t>x</t></si></sst>".encode())


def repeated_ods() -> bytes:
    """A header row and one row of 150 values repeated 33,000 times: 4.95 M cells from a few
    hundred bytes (just under the old 5 M used-area rule)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Toiminta"><table:table-row>'
        + "".join(f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
                  for h in HEADER.split(";"))
        + '</table:table-row><table:table-row table:number-rows-repeated="33000">'
        '<table:table-cell table:number-columns-repeated="150" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xls_with(cells: dict[tuple[int, int], str]) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Toiminta")
    for (row, column), value in cells.items():
        sheet.write(row, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def far_value_xls() -> bytes:
    """A1 and IV65536: a 5.6 KB xls that calamine opens into a dense grid of 16.7 M cells."""
    return xls_with({(0, 0): "x", (65535, 255): "y"})


def lying_dimensions_xls() -> bytes:
    """An xls whose DIMENSIONS record claims four billion rows (calamine aborts on the reservation)."""
    data = bytearray(xls_with({(0, 0): "x", (1, 1): "y"}))
    record = data.find(b"\x00\x02\x0e\x00")
    data[record + 8:record + 12] = (0xFFFFFFF0).to_bytes(4, "little")
    return bytes(data)


def looping_chain_xls() -> bytes:
    """An xls whose directory's sector chain points back at itself (calamine reads it forever)."""
    data = bytearray(xls_with({(0, 0): "x"}))
    shift = int.from_bytes(data[0x1E:0x20], "little")
    size = 1 << shift
    directory = int.from_bytes(data[0x30:0x34], "little")
    fat_sector = int.from_bytes(data[0x4C:0x50], "little")
    at = (fat_sector + 1) * size + directory * 4
    data[at:at + 4] = directory.to_bytes(4, "little")
    return bytes(data)


def cases(settings) -> dict[str, object]:
    """File name -> a function making its bytes; the baseline first."""
    limit = settings.upload_limit_bytes
    return {
        "baseline.csv": baseline,
        "million_columns.csv": million_columns,
        "blank_lines.csv": blank_lines,
        "short_rows.csv": lambda: short_rows(limit),
        "quoted_line_breaks.csv": lambda: quoted_line_breaks(limit),
        "three_sheets.xlsx": three_sheets,
        "repeated.ods": repeated_ods,
        "far_value.xlsx": far_value_xlsx,
        "claimed_strings.xlsx": claimed_strings_xlsx,
        "far_value.xls": far_value_xls,
        "lying_dimensions.xls": lying_dimensions_xls,
        "looping_chain.xls": looping_chain_xls,
        "error_rows.csv": lambda: error_rows(settings.max_rows - 1),
        "largest_valid.csv": lambda: largest_valid_csv(settings),
        "largest_valid.xlsx": lambda: largest_valid_xlsx(settings),
        "widest_valid.csv": lambda: widest_valid_csv(settings),
    }


# ------------------------------------------------------------------------------- measuring

def child(path: str, root: str) -> None:
    """Check one file with the tree at `root` and print what came of it as JSON."""
    sys.path.insert(0, root)
    from data_sources.intake import check_upload
    from data_sources.organisations import Registry

    data = Path(path).read_bytes()
    registry = Registry(names={"aurinko": "Aurinko ry"})
    wall, cpu = time.perf_counter(), time.process_time()
    checked = check_upload(Path(path).name, data, registry=registry, uploader_org="aurinko", today=TODAY)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    first = checked.errors[0] if checked.errors else None
    print(json.dumps({
        "wall": wall, "cpu": cpu, "ok": checked.ok, "errors": len(checked.errors),
        "code": first and first.code, "reason": first and first.params.get("reason"),
    }))


def measure(path: Path, root: str, timeout: float) -> dict:
    """Run `child` in a fresh process; its own timings, and its peak RSS from the kernel."""
    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    process = subprocess.Popen([sys.executable, __file__, "--child", str(path), "--root", root],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=cap_memory)
    started = time.perf_counter()
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            return {"outcome": f"killed after {timeout:.0f} s", "rss": usage.ru_maxrss / 1024}
        time.sleep(0.05)
    out, err = process.stdout.read(), process.stderr.read()
    result = {"rss": usage.ru_maxrss / 1024}
    if os.WIFSIGNALED(status) or os.WEXITSTATUS(status) != 0:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        return {**result, "outcome": f"crashed ({how}): {last[0][:60]}"}
    result.update(json.loads(out.decode().strip().splitlines()[-1]))
    if result["ok"]:
        result["outcome"] = "accepted"
    else:
        reason = f"/{result['reason']}" if result["reason"] else ""
        more = f" (+{result['errors'] - 1})" if result["errors"] > 1 else ""
        result["outcome"] = f"{result['code']}{reason}{more}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="case file names (default: all)")
    parser.add_argument("--root", default=str(ROOT), help="the checkout whose check_upload runs")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.root)
        return

    sys.path.insert(0, str(ROOT))
    from settings import Settings

    settings = Settings()
    print(f"Kokemusmittari resource bounds, {date.today()}; checked by {args.root}\n"
          f"limits: {settings.upload_limit_mb:g} MB, {settings.max_rows:,} rows, {settings.max_columns:,} "
          f"columns, {settings.max_sheet_cells:,} cells a sheet, {settings.max_cells:,} cells a file\n")
    makers = cases(settings)
    chosen = ["baseline.csv"] + [name for name in makers if name != "baseline.csv"
                                 and (not args.only or name in args.only)]
    print(f"{'case':<24}{'size':>9}  {'wall s':>7}{'cpu s':>7}{'RSS MB':>8}   "
          f"{'wall×':>6}{'cpu×':>6}{'RSS×':>6}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        base = None
        for name in chosen:
            path = Path(folder) / name
            path.write_bytes(makers[name]())
            result = measure(path, args.root, args.timeout)
            base = base or result
            size = f"{path.stat().st_size / 1024 / 1024:.1f} MB"
            if "wall" in result:
                within = "" if result["wall"] < WALL_BOUND and result["rss"] < RSS_BOUND_MB else "  OVER"
                print(f"{name:<24}{size:>9}  {result['wall']:7.2f}{result['cpu']:7.2f}{result['rss']:8.0f}   "
                      f"{result['wall'] / base['wall']:6.0f}{result['cpu'] / base['cpu']:6.0f}"
                      f"{result['rss'] / base['rss']:6.1f}  {result['outcome']}{within}")
            else:
                print(f"{name:<24}{size:>9}  {'':>7}{'':>7}{result['rss']:8.0f}   {'':>6}{'':>6}"
                      f"{result['rss'] / base['rss']:6.1f}  {result['outcome']}")
            path.unlink()
    print(f"\nwall and cpu: check_upload alone; RSS: the whole process (interpreter and imports "
          f"included); × against baseline.csv.\nbound: under {WALL_BOUND:g} s and {RSS_BOUND_MB} MB "
          f"for every file up to the upload limit.")


if __name__ == "__main__":
    main()
