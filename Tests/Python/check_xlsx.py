"""Checks an XLSX file Passage wrote, with openpyxl (the reader most Python users have).

Usage:
  check_xlsx.py FILE.xlsx [--csv FILE.csv] [--text TEXT ...]

- the file opens; it has a sheet "protections" with at least one "protection" row;
- no cell of any sheet is a formula, and no text cell begins with a character that would start
  one (= + - @, tab, CR, LF, or their full-width forms) unless it is a plain number or carries
  the guard's leading quote (Passage writes `'=x` for the text `=x`, as in its CSV files);
- with --csv: the first sheet holds the same rows as the CSV file of the same table: a number
  in the CSV is the same number in the workbook, an empty field an empty cell, any other field
  the same text;
- with --text: each TEXT (as given to Passage) is found in the first sheet, neutralised: `'`
  followed by TEXT when TEXT would start a formula, TEXT itself otherwise.

Prints "xlsx: ok sheets=… rows=…" and exits 0, or says what is wrong and exits 1.
"""
import csv
import re
import sys

import openpyxl

FORMULA_STARTS = set("=+-@\t\r\n\u0000\uff1d\uff0b\uff0d\uff20")
PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def fail(message):
    print(message)
    sys.exit(1)


def number(text):
    return float(text) if PLAIN_NUMBER.match(text) else None


args = sys.argv[1:]
if not args:
    fail(__doc__)
path, args = args[0], args[1:]
csv_path, texts = None, []
while args:
    if args[0] == "--csv" and len(args) > 1:
        csv_path, args = args[1], args[2:]
    elif args[0] == "--text" and len(args) > 1:
        texts.append(args[1])
        args = args[2:]
    else:
        fail("unknown argument: %s" % args[0])

# Formulas are kept as formulas (data_only=False), so a formula cell cannot hide behind a value.
book = openpyxl.load_workbook(path, data_only=False)
if "protections" not in book.sheetnames:
    fail("no protections sheet: %s" % book.sheetnames)
protections = [row for row in book["protections"].iter_rows(values_only=True)]
if not any(row and row[0] == "protection" for row in protections):
    fail("the protections sheet lists no protection: %s" % protections[:5])

for sheet in book.worksheets:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                fail("formula in %s!%s: %r" % (sheet.title, cell.coordinate, cell.value))
            if isinstance(cell.value, str) and cell.value:
                first = cell.value[0]
                if first in FORMULA_STARTS and not PLAIN_NUMBER.match(cell.value):
                    fail("unguarded text in %s!%s: %r" % (sheet.title, cell.coordinate, cell.value))

table = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]

if csv_path:
    with open(csv_path, newline="", encoding="utf-8") as handle:
        expected = list(csv.reader(handle))
    if len(expected) != len(table):
        fail("rows: csv %d, xlsx %d" % (len(expected), len(table)))
    for index, (want, got) in enumerate(zip(expected, table)):
        got = got + [None] * (len(want) - len(got))
        if len(got) != len(want):
            fail("row %d: csv %d cells, xlsx %d" % (index + 1, len(want), len(got)))
        for text, value in zip(want, got):
            if text == "":
                ok = value is None
            elif number(text) is not None and not isinstance(value, str):
                ok = value is not None and float(value) == number(text)
            else:
                ok = value == text
            if not ok:
                fail("row %d: csv %r, xlsx %r" % (index + 1, text, value))

cells = {value for row in table for value in row if isinstance(value, str)}
for text in texts:
    written = "'" + text if text[:1] in FORMULA_STARTS and not PLAIN_NUMBER.match(text) else text
    if written not in cells:
        fail("text %r not found as %r" % (text, written))

print("xlsx: ok sheets=%d rows=%d" % (len(book.worksheets), len(table)))
