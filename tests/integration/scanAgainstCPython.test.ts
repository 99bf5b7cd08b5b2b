import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanFolder } from '../../src/main/scan/scanFolder'
import { writeTree } from '../helpers/scanTree'

/**
 * The ground truth is CPython itself: the target calls are functions that append their caller's file:line to a
 * file when they run; the entry module is imported with `python3 -c`; what ran must equal what scan reports as
 * reached from that entry. Conditionals whose branch depends on values are left out: scan takes every branch.
 */
const RECORDER = `import os, sys

def _record(depth):
    frame = sys._getframe(depth)
    path = os.path.relpath(frame.f_code.co_filename, os.environ["SCAN_ROOT"]).replace(os.sep, "/")
    with open(os.environ["SCAN_MARKERS"], "a") as out:
        out.write(f"{path}:{frame.f_lineno}\\n")

def get_websocket_manager(*args, **kwargs):
    _record(2)
    return lambda function: function

def get_emitter_pool(*args, **kwargs):
    _record(2)
    return [1]

class ConnectionPool:
    def __init__(self):
        self.connections = {}
        _record(2)
`

const TREE: Record<string, string> = {
  'recorder.py': RECORDER,
  'app/__init__.py': 'from recorder import get_websocket_manager\npackage_level = get_websocket_manager()\n',
  'app/helpers.py': `from recorder import get_emitter_pool, get_websocket_manager


def setup():
    pool = get_emitter_pool()
    return pool


def setup_later():
    return get_websocket_manager()


def chained():
    return setup()
`,
  'app/services.py': `import contextlib
from typing import TYPE_CHECKING

from recorder import ConnectionPool, get_websocket_manager as gwm
from . import helpers
from .helpers import chained

if TYPE_CHECKING:
    from recorder import get_emitter_pool
    typed = gwm()

manager = gwm()
pool = ConnectionPool()
values = [gwm() for _ in range(2)]
first = (x for x in gwm()([1]))
label = f"{gwm()}"
later = lambda: gwm()


@gwm
def decorated(value=gwm()):
    return gwm()


class Service:
    attribute = gwm()

    def method(self, value=gwm()):
        return gwm()


with contextlib.nullcontext(gwm()):
    held = gwm()

for _ in range(1):
    looped = gwm()

try:
    tried = gwm()
finally:
    finished = gwm()

helpers.setup()
chained()


class Starter:
    def __init__(self, name):
        self.name = name

    def start(self):
        return self.connect()

    def connect(self):
        return gwm()

    def unused(self):
        return gwm()


starter = Starter("app")
starter.start()


async def not_awaited():
    return gwm()


def generator():
    yield gwm()


coroutine = not_awaited()
coroutine.close()
paused = generator()

if __name__ == "__main__":
    main_only = gwm()

if True:
    taken = gwm()

VERBOSE = 0
FEATURE = "on"

if VERBOSE:
    verbose_only = gwm()
elif FEATURE:
    feature = gwm()
else:
    otherwise = gwm()

while not FEATURE:
    never = gwm()
`,
  'app/sub/__init__.py': '',
  'app/sub/deep.py': 'from .. import services\nfrom ..helpers import setup_later\n\nresult = setup_later()\n',
  'app/unused.py': 'from recorder import get_websocket_manager\nnever_imported = get_websocket_manager()\n',
  'star.py': 'from app.helpers import *\n\nfrom_star = setup_later()\n',
  'test_entry.py': 'import app.services\nfrom app.sub import deep\nimport star\n'
}

describe('scan against what CPython runs on import', { timeout: 60_000 }, () => {
  it('reports exactly the target calls that ran when the entry module was imported', async () => {
    const root = writeTree(TREE)
    const markers = join(root, 'markers.txt')
    execFileSync('python3', ['-B', '-c', 'import test_entry'], {
      cwd: root,
      env: { ...process.env, SCAN_ROOT: root, SCAN_MARKERS: markers, PYTHONPATH: root }
    })
    const ran = [...new Set(readFileSync(markers, 'utf8').trim().split('\n'))].sort()

    const { report } = await scanFolder({
      root,
      language: 'python',
      entries: ['test_entry.py'],
      calls: [],
      startup: []
    })
    const reached = report.findings
      .filter((finding) => finding.chains.some((chain) => chain.entry === 'test_entry.py'))
      .map((finding) => `${finding.file}:${finding.line}`)
    expect([...new Set(reached)].sort()).toEqual(ran)
    // The module nobody imports is still found, with no chain from the entry.
    expect(report.findings.find((finding) => finding.file === 'app/unused.py')?.chains).toEqual([])
    expect(ran.length).toBeGreaterThan(15)
  })
})
