#!/usr/bin/python3
# reclass 1.7's own Salt and Ansible adapters (Debian's python3-reclass), called as their
# users call them, for the differential tests of src/adapters:
# - Salt: reclass.adapters.salt.ext_pillar / top, with the inventory's reclass-config.yml
#   as keyword options, as a Salt master passes its `reclass:` configuration;
# - Ansible: reclass.adapters.ansible.cli() with argv[0] inside the inventory, as the
#   `reclass-ansible` symlink Ansible runs as a dynamic inventory.
# The collections aliases are the same shim as scripts/reclass-oracle (Python 3.10+).
#
# usage: adapter_oracle.py INVENTORY_DIR REQUESTS_JSON
#   REQUESTS_JSON: [["pillar", ID], ["top", ID], ["top"], ["ansible", "--list"], ["ansible", "--host", ID], ...]
# prints one JSON array of {"ok": true, "text": ...} (the adapter's output as JSON text,
# json.dumps(indent=2) as reclass prints it) or {"ok": false, "kind": ..., "message": ...}.
import collections
import collections.abc
import contextlib
import io
import json
import os
import sys

inventory_dir = os.path.abspath(sys.argv[1])
requests = json.loads(sys.argv[2])
real_stdout = sys.stdout
os.chdir(inventory_dir)  # reclass finds reclass-config.yml in the working directory

for name in ('Iterable', 'Mapping', 'MutableMapping', 'Sequence', 'MutableSequence',
             'Set', 'MutableSet', 'Callable', 'Hashable'):
    if not hasattr(collections, name):
        setattr(collections, name, getattr(collections.abc, name))

import yaml  # noqa: E402
from reclass.adapters import ansible, salt  # noqa: E402
from reclass.errors import ReclassException  # noqa: E402

config_file = os.path.join(inventory_dir, 'reclass-config.yml')
options = {}
if os.path.exists(config_file):
    with open(config_file) as f:
        options = yaml.safe_load(f) or {}
options['inventory_base_uri'] = os.path.join(inventory_dir, options.get('inventory_base_uri', '.'))


def dumps(data):
    return json.dumps(data, indent=2, separators=(',', ': '))


def run_ansible(args):
    sys.argv = [os.path.join(inventory_dir, 'reclass-ansible')] + args
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            ansible.cli()
        except SystemExit as e:
            if e.code not in (0, None):
                raise RuntimeError('reclass-ansible exited with %r' % e.code)
    return out.getvalue()


results = []
for request in requests:
    try:
        if request[0] == 'pillar':
            text = dumps(salt.ext_pillar(request[1], {}, **options))
        elif request[0] == 'top':
            text = dumps(salt.top(request[1] if len(request) > 1 else None, **options))
        else:
            text = run_ansible(request[1:])
        results.append({'ok': True, 'text': text})
    except ReclassException as e:
        results.append({'ok': False, 'kind': type(e).__name__, 'message': str(e)})

real_stdout.write(json.dumps(results))
