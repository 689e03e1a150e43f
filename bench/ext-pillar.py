#!/usr/bin/python3
# The Salt master's side of the pillar benchmark (bench/serve-pillar.mjs): reclass 1.7's
# ext_pillar (reclass.adapters.salt, Debian's python3-reclass) called once per minion from
# one Python process, as a master does on a pillar refresh of every minion, with the
# inventory's reclass-config.yml as the `reclass:` options of the master configuration.
# The collections aliases are scripts/reclass-oracle's shim for Python 3.10+.
#
# usage: ext-pillar.py INVENTORY_DIR OUT_FILE
#   reads the node names, one per line, on stdin; writes each pillar as reclass's JSON
#   text, one JSON string per line, to OUT_FILE; prints {"seconds": [...]} on stdout.
import collections
import collections.abc
import json
import os
import sys
import time

inventory_dir = os.path.abspath(sys.argv[1])
os.chdir(inventory_dir)
for name in ('Iterable', 'Mapping', 'MutableMapping', 'Sequence', 'MutableSequence',
             'Set', 'MutableSet', 'Callable', 'Hashable'):
    if not hasattr(collections, name):
        setattr(collections, name, getattr(collections.abc, name))

import yaml  # noqa: E402
from reclass.adapters import salt  # noqa: E402

options = {}
if os.path.exists('reclass-config.yml'):
    with open('reclass-config.yml') as f:
        options = yaml.safe_load(f) or {}
options['inventory_base_uri'] = os.path.join(inventory_dir, options.get('inventory_base_uri', '.'))

seconds = []
with open(sys.argv[2], 'w') as out:
    for minion in sys.stdin.read().split():
        t0 = time.perf_counter()
        pillar = salt.ext_pillar(minion, {}, **options)
        seconds.append(time.perf_counter() - t0)
        out.write(json.dumps(json.dumps(pillar, indent=2, separators=(',', ': '))) + '\n')
print(json.dumps({'seconds': seconds}))
