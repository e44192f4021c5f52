"""Run one command; print its wall time, CPU time and peak memory as one JSON line.

    python -m bench.measure LOG -- COMMAND [ARG ...]

The command's output goes to LOG. Peak memory is the kernel's `ru_maxrss` over every
descendant process that was waited for (`RUSAGE_CHILDREN`): the largest resident set of any
single process in the command's tree. For `segments build` that is the dbt child process
(the CLI process waiting for it stays under 100 MB). A fresh wrapper per run, so one
run's peak never carries over into the next. CPU time (user + system, all those
processes) depends much less than wall time on what else the machine is running.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m bench.measure LOG -- COMMAND [ARG ...]", file=sys.stderr)
        return 2
    log, command = argv[0], argv[2:]
    with open(log, "w", encoding="utf-8") as out:
        began = time.perf_counter()
        returncode = subprocess.call(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
        seconds = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    outcome = {
        "returncode": returncode,
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "max_rss_kb": usage.ru_maxrss,  # KiB on Linux
    }
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
