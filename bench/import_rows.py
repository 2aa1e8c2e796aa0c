"""`python -m bench.import_rows [--rows N]`: how fast a file is read and its rows checked.

The import's share before the database: reading the CSV (`imports.reading`) and checking
each row with the rules of the forms (`imports.rows`), on generated rows of 12 columns like
the import bench (an email, 10 standard attributes, 1 custom attribute), in one process. No
database is touched. Prints rows per second for reading, checking, and both, and the ratio
of the whole against Python's bare csv module reading the same bytes.
"""

import argparse
import csv
import io
import os
import random
import time
from collections.abc import Callable

import django

HEADER = [
    "user.Email",
    "user.FirstName",
    "user.LastName",
    "user.Nickname",
    "user.Title",
    "user.Gender",
    "user.DateOfBirth",
    "user.ISOCountryCode",
    "user.ISOLanguageCode",
    "user.ZipCode",
    "user.TimeZone",
    "user.CustomAttribute.Loyalty",
]
_FIRST = ["Anna", "Jürgen", "Zoë", "Mehmet", "Olga", "José", "Li", "Chloé", "Ben", "Fatima"]
_LAST = ["Müller", "Schmidt", "O'Brien", "García", "Nguyen", "Kowalski", "Smith", "Öztürk"]
_ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Paris", "UTC"]


def generate(rows: int, *, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number in range(rows):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        writer.writerow(
            [
                f"person{number}@example{number % 97}.com",
                first,
                last,
                first[:3],
                rng.choice(["Mr.", "Ms.", "Unknown"]),
                rng.choice(["Male", "Female", "Undisclosed"]),
                f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(["DE", "FR", "US", "JP", "PL"]),
                rng.choice(["de", "fr", "en", "ja", "pl"]),
                f"{rng.randint(1000, 99999):05d}",
                rng.choice(_ZONES),
                str(rng.randint(0, 5000)),
            ]
        )
    return out.getvalue().encode("utf-8")


def best_of(runs: int, work: Callable[[], int]) -> float:
    """The fastest of `runs` timings of `work`, in seconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_rows")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from contacts.models import AttributeDefinition, AttributeType
    from imports.mapping import suggest_mapping
    from imports.reading import detect_dialect, open_table
    from imports.rows import CheckedRow, check_row, compile_plan

    data = generate(args.rows)
    dialect = detect_dialect(data[:65536])
    loyalty = AttributeDefinition(name="Loyalty", data_type=AttributeType.NUMBER)
    mapping = suggest_mapping(HEADER, custom_names=["Loyalty"], member_names=[])
    plan = compile_plan(
        header=HEADER,
        mapping=mapping,
        custom={"Loyalty": loyalty},
        member=None,
        match_on="email",
        clear_empty=False,
    )
    rows = list(open_table(io.BytesIO(data), dialect).rows)

    def bare_csv() -> int:
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
        return sum(1 for _ in csv.reader(text))

    def read() -> int:
        return sum(1 for _ in open_table(io.BytesIO(data), dialect).rows)

    def check() -> int:
        return sum(
            1 for line, cells in rows if isinstance(check_row(plan, line, cells), CheckedRow)
        )

    def both() -> int:
        table = open_table(io.BytesIO(data), dialect)
        return sum(
            1 for line, cells in table.rows if isinstance(check_row(plan, line, cells), CheckedRow)
        )

    assert check() == args.rows, "every generated row must pass"
    print(
        f"{args.rows:,} rows x {len(HEADER)} columns, {len(data) / 1e6:.1f} MB, best of {args.runs}"
    )
    bare = best_of(args.runs, bare_csv)
    for name, work in (
        ("bare csv module", bare_csv),
        ("read", read),
        ("check_row", check),
        ("read + check_row", both),
    ):
        seconds = bare if work is bare_csv else best_of(args.runs, work)
        print(
            f"  {name:<18} {args.rows / seconds:>12,.0f} rows/s  ({seconds / bare:.1f}x bare csv)"
        )


if __name__ == "__main__":
    main()
