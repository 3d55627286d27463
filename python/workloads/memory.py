"""Memory of a process tree, from /proc (the Python twin of src/memory.rs).

An idle asyncio task or thread lives in the one process, but an idle worker process is a
process of its own: so the figures are summed over the main process and every process below
it. Two sums: RSS (VmRSS of /proc/PID/status), which counts a page shared by k processes k
times (a forked child shares most of its parent's pages), and PSS (Pss of
/proc/PID/smaps_rollup), which counts it 1/k in each, so the sum counts it once: the figure
that does not overstate what a tree of processes costs.
"""

import os


def tree_memory(pid=None):
    """(rss_bytes, pss_bytes) of process `pid` (this one by default) and all below it. A
    process that exits while it is read is skipped: it no longer holds memory."""
    pid = os.getpid() if pid is None else pid
    rss = pss = 0
    for member in [pid] + descendants(pid):
        try:
            rss += _field(f"/proc/{member}/status", "VmRSS")
            pss += _field(f"/proc/{member}/smaps_rollup", "Pss")
        except (OSError, ValueError):
            if member == pid:
                raise
    return rss, pss


def descendants(pid):
    """Every process below `pid`, children first (as src/tree.rs reads them)."""
    found, frontier = [], [pid]
    while frontier:
        children = [child for parent in frontier for child in _children(parent)]
        found += children
        frontier = children
    return found


def _children(pid):
    """The live children of `pid`: each of its threads' /proc/PID/task/TID/children list (a
    child belongs to the thread that started it). A kernel built without those lists
    (CONFIG_PROC_CHILDREN off) has none: then every process's parent is read from
    /proc/PID/stat instead, a scan of the whole /proc."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:  # the process has exited
        return []
    children = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children += [int(child) for child in f.read().split()]
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{pid}/task/{task}"):
                continue  # the thread has exited
            return [child for child, parent in _parents().items() if parent == pid]
        except OSError:
            continue
    return children


def _parents():
    """child pid -> parent pid for every process, from /proc/PID/stat."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name, in parentheses, may hold spaces: the fields after it are safe.
        fields = stat[stat.rindex(")") + 2:].split()
        parents[int(entry)] = int(fields[1])
    return parents


def _field(path, name):
    """The number of bytes in a /proc line `name:   1234 kB`."""
    with open(path) as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024
    raise ValueError(f"no {name} in {path}")
