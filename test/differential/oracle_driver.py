#!/usr/bin/python3
# Runs Debian's reclass 1.7 exactly as scripts/reclass-oracle does (same compatibility shim,
# same reclass.cli.main, same argv), but several times in one Python process, so the
# differential test pays Python's start-up and reclass's imports once per inventory instead
# of once per node. It also records what the CLI hides: the class name of the exception
# (reclass prints only the message).
#
# usage: oracle_driver.py INVENTORY_DIR REQUESTS_JSON
#   REQUESTS_JSON: [["node", "NAME"], ["inventory"], ...]
# prints one JSON array: per request {"rc", "stdout", "stderr", "kind"}; kind is null on
# success, the reclass exception class name on a reclass error (ResolveErrorList is reported
# as ResolveError), or the Python exception class name when reclass crashes.
import collections
import collections.abc
import contextlib
import io
import json
import os
import sys
import traceback

inventory_dir = sys.argv[1]
requests = json.loads(sys.argv[2])
real_stdout = sys.stdout

# reclass reads reclass-config.yml from the cwd; reclass.defaults computes its search path
# at import time, so change directory before importing reclass.
os.chdir(inventory_dir)

for name in ('Iterable', 'Mapping', 'MutableMapping', 'Sequence', 'MutableSequence',
             'Set', 'MutableSet', 'Callable', 'Hashable'):
    if not hasattr(collections, name):
        setattr(collections, name, getattr(collections.abc, name))

import reclass.errors  # noqa: E402
from reclass import cli  # noqa: E402

recorded = {}
_original_exit = reclass.errors.ReclassException.exit_with_message


def _recording_exit(self, out=sys.stderr):
    kind = type(self).__name__
    if kind == 'ResolveErrorList':
        kind = 'ResolveError'
    recorded['kind'] = kind
    _original_exit(self, out)


reclass.errors.ReclassException.exit_with_message = _recording_exit

results = []
for request in requests:
    argv = ['reclass', '-b', '.', '-o', 'json']
    if request[0] == 'node':
        argv += ['-n', request[1]]
    else:
        argv += ['-i']
    sys.argv = argv
    out, err = io.StringIO(), io.StringIO()
    recorded.clear()
    rc = 0
    kind = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main()
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if rc != 0:
                kind = recorded.get('kind', 'SystemExit')
        except RecursionError as e:
            rc = 1
            kind = 'RecursionError'
            print('RecursionError: %s' % e, file=sys.stderr)
        except BaseException as e:  # reclass crashed: what the real CLI shows as a traceback
            rc = 1
            kind = type(e).__name__
            traceback.print_exc()
    results.append({'rc': rc, 'stdout': out.getvalue(), 'stderr': err.getvalue(), 'kind': kind})

real_stdout.write(json.dumps(results))
