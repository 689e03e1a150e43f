#!/usr/bin/env python3
"""Run one command and print its wall time and peak RSS as one JSON object on stdout.

usage: measure.py [--cwd DIR] [--stdout FILE] [--stderr FILE] [--timeout S] -- CMD ARG...

Why a Python wrapper: Node cannot read a child's rusage (child_process gives no
wait4), `/usr/bin/time` is a separate Debian package that is often missing, and
the shell's `time` does not report memory. python3 is on every machine this runs
on, and os.wait4 returns the kernel's own accounting for exactly the child we
started.

What is measured:
- wall_s: perf_counter around fork+exec+wait4, so it is the child's whole life
  (interpreter/VM start-up included, which is what a user waits for). The wrapper's
  own start-up is outside the window.
- maxrss_kb: ru_maxrss from wait4, the kernel's high-water mark of resident memory.
  It covers the child and every descendant it waited for, but as the MAXIMUM over
  those processes, not their sum (threads, e.g. Node worker_threads, are inside the
  process and therefore fully counted).
- tree_peak_kb: so that a program that fans out into several concurrent processes
  cannot hide memory in the max-not-sum rule above, a sampler thread sums VmRSS
  over the process tree every 25 ms, but only while the tree has more than one
  process (a single process is covered exactly by ru_maxrss). Sampling misses
  spikes shorter than the period, hence it only ever raises the figure.
- peak_kb = max(maxrss_kb, tree_peak_kb).
The child's stdout/stderr go straight to files, never through this process.
"""
import json
import os
import signal
import sys
import threading
import time

SAMPLE_PERIOD_S = 0.025


def parse_args(argv):
    opts = {'cwd': None, 'stdout': os.devnull, 'stderr': os.devnull, 'timeout': 0.0}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == '--':
            return opts, argv[i + 1:]
        if a in ('--cwd', '--stdout', '--stderr', '--timeout') and i + 1 < len(argv):
            opts[a[2:]] = float(argv[i + 1]) if a == '--timeout' else argv[i + 1]
            i += 2
            continue
        break
    sys.stderr.write(__doc__)
    sys.exit(2)


def children_of(pid):
    """Direct children of every thread of pid (Linux >= 3.5, CONFIG_PROC_CHILDREN)."""
    kids = []
    try:
        for tid in os.listdir('/proc/%d/task' % pid):
            with open('/proc/%d/task/%s/children' % (pid, tid)) as f:
                kids.extend(int(x) for x in f.read().split())
    except OSError:
        pass
    return kids


def rss_kb(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def sample_tree(root, state, stop):
    while not stop.wait(SAMPLE_PERIOD_S):
        todo, seen = children_of(root), [root]
        if not todo:
            continue
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo.extend(children_of(pid))
        state['tree_peak_kb'] = max(state['tree_peak_kb'], sum(rss_kb(p) for p in seen))


def spawn(cmd, opts):
    pid = os.fork()
    if pid == 0:
        try:
            # Own process group, so a timeout can kill the whole tree.
            os.setpgid(0, 0)
            if opts['cwd']:
                os.chdir(opts['cwd'])
            out = os.open(opts['stdout'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            err = os.open(opts['stderr'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            nul = os.open(os.devnull, os.O_RDONLY)
            os.dup2(nul, 0)
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.execvp(cmd[0], cmd)
        except BaseException as e:  # noqa: BLE001 - report anything, never return into the parent's code
            os.write(2, ('measure.py: cannot run %s: %s\n' % (cmd[0], e)).encode())
        os._exit(127)
    return pid


def main():
    opts, cmd = parse_args(sys.argv[1:])
    if not cmd:
        sys.stderr.write(__doc__)
        return 2
    state = {'tree_peak_kb': 0, 'timed_out': False}
    t0 = time.perf_counter()
    pid = spawn(cmd, opts)
    stop = threading.Event()
    sampler = threading.Thread(target=sample_tree, args=(pid, state, stop), daemon=True)
    sampler.start()
    timer = None
    if opts['timeout'] > 0:
        def kill():
            state['timed_out'] = True
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        timer = threading.Timer(opts['timeout'], kill)
        timer.daemon = True
        timer.start()
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    stop.set()
    if timer:
        timer.cancel()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)  # negative signal number if killed
    json.dump({
        'wall_s': round(wall, 4),
        'user_s': round(ru.ru_utime, 4),
        'sys_s': round(ru.ru_stime, 4),
        'maxrss_kb': ru.ru_maxrss,  # kilobytes on Linux
        'tree_peak_kb': state['tree_peak_kb'],
        'peak_kb': max(ru.ru_maxrss, state['tree_peak_kb']),
        'exit': code,
        'timed_out': state['timed_out'],
    }, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
