#!/usr/bin/env python3
"""Lists the tests ctest skipped, grouped by the reason each printed, from ctest's JUnit file.

usage: skipped_tests.py CTEST_JUNIT.xml

ctest prints a skipped test as "***Skipped" without its output, so a reason given with
GTEST_SKIP() << "reason" (or printed by a script that exits 77) is invisible; this prints it.
"""
import sys
import xml.etree.ElementTree as ET
from collections import OrderedDict

SHOWN_NAMES = 4  # names listed per reason; the rest are counted


def reason_of(output: str) -> str:
    """GoogleTest prints "file:line: Skipped" and the message on the lines after it."""
    lines = [line.strip() for line in output.splitlines()]
    for i, line in enumerate(lines):
        if line.endswith(": Skipped") or line == "Skipped":
            message = []
            for follow in lines[i + 1:]:
                if not follow or follow.startswith("["):
                    break
                message.append(follow)
            if message:
                return " ".join(message)
    # A script's own words: its last line that is not GoogleTest's bookkeeping.
    for line in reversed(lines):
        if line and not line.startswith("[") and "Test command:" not in line:
            return line
    return "(no reason printed)"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except (OSError, ET.ParseError) as error:
        print(f"skipped_tests.py: {sys.argv[1]}: {error}", file=sys.stderr)
        return 1
    by_reason: "OrderedDict[str, list[str]]" = OrderedDict()
    for case in root.iter("testcase"):
        if case.get("status") != "skipped" and case.find("skipped") is None:
            continue
        output = "".join((case.findtext("system-out") or "", case.findtext("system-err") or ""))
        name = case.get("name", "?").split("  # ")[0]  # without GoogleTest's "# GetParam() = ..."
        by_reason.setdefault(reason_of(output), []).append(name)
    total = sum(len(names) for names in by_reason.values())
    if total == 0:
        print("No test was skipped.")
        return 0
    print(f"Skipped {total} test(s), by reason:")
    for reason, names in by_reason.items():
        shown = ", ".join(names[:SHOWN_NAMES])
        more = f" and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else ""
        print(f"  {reason}: {len(names)} ({shown}{more})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
