import { describe, expect, it } from 'vitest'
import { scanFolder } from '../../src/main/scan/scanFolder'
import { markedLines, writeTree } from '../helpers/scanTree'

/**
 * One module with every form that runs on import (each line ending `# FOUND`) and every form that does not.
 * The scan must report exactly the marked lines: nothing more, nothing less.
 */
const FORMS = `"""get_websocket_manager() in a docstring is not a call."""
import typing
from typing import TYPE_CHECKING
import ws
from ws import get_websocket_manager, get_websocket_manager as gwm
from pool import ConnectionRegistry, RegistryChild
# get_websocket_manager() in a comment is not a call
text = "get_websocket_manager()"

manager = get_websocket_manager()  # FOUND
aliased = gwm()  # FOUND
through_module = ws.get_websocket_manager()  # FOUND
label = f"{get_websocket_manager()}"  # FOUND
listed = [get_websocket_manager() for _ in range(1)]  # FOUND
lazy = (get_websocket_manager() for _ in range(1))
eager_iterable = (x for x in get_websocket_manager())  # FOUND
later = lambda: get_websocket_manager()
default_of_lambda = lambda m=get_websocket_manager(): m  # FOUND
registry = ConnectionRegistry()  # FOUND
child = RegistryChild()  # FOUND

if manager:
    in_if = get_websocket_manager()  # FOUND
elif label:
    in_elif = get_websocket_manager()  # FOUND
else:
    in_else = get_websocket_manager()  # FOUND

try:
    in_try = get_websocket_manager()  # FOUND
except Exception:
    in_except = get_websocket_manager()  # FOUND
finally:
    in_finally = get_websocket_manager()  # FOUND

with get_websocket_manager() as held:  # FOUND
    in_with = get_websocket_manager()  # FOUND

for item in range(1):
    in_for = get_websocket_manager()  # FOUND

while False:
    never_runs = get_websocket_manager()


@get_websocket_manager  # FOUND
def decorated():
    return get_websocket_manager()


@ws.register(get_websocket_manager())  # FOUND
def decorated_by_call(manager=get_websocket_manager(), *, other: int = gwm()):  # FOUND
    return manager


class Holder(ws.base(get_websocket_manager())):  # FOUND
    in_class_body = get_websocket_manager()  # FOUND

    class Nested:
        in_nested_class_body = get_websocket_manager()  # FOUND

    def method(self, m=get_websocket_manager()):  # FOUND
        return get_websocket_manager()

    @property
    def lazy_getter(self):
        return get_websocket_manager()


def helper():
    inner = get_websocket_manager()  # FOUND

    def never_called():
        return get_websocket_manager()

    return inner


async def coroutine_function():
    return get_websocket_manager()


def generator_function():
    yield get_websocket_manager()


class Built:
    def __init__(self):
        self.manager = get_websocket_manager()  # FOUND


class Runner:
    def start(self):
        return self.prepare()

    def prepare(self):
        return get_websocket_manager()  # FOUND

    def never_called(self):
        return get_websocket_manager()


runner = Runner()
runner.start()
helped = helper()
coroutine = coroutine_function()
generator = generator_function()
built = Built()

if __name__ == "__main__":
    main_only = get_websocket_manager()
else:
    imported = get_websocket_manager()  # FOUND

if "__main__" == __name__:
    main_only_reversed = get_websocket_manager()

if TYPE_CHECKING:
    from heavy import get_websocket_manager as typed_only
    typed = get_websocket_manager()

if typing.TYPE_CHECKING:
    typed_too = get_websocket_manager()

if False:
    dead = get_websocket_manager()

if True:
    alive = get_websocket_manager()  # FOUND
else:
    dead_else = get_websocket_manager()

DEBUG = False
ENABLED = True  # module constants: assigned once, to a literal

if DEBUG:
    debug_only = get_websocket_manager()
elif ENABLED:
    enabled = get_websocket_manager()  # FOUND
else:
    not_reached = get_websocket_manager()

if not DEBUG:
    not_debug = get_websocket_manager()  # FOUND


def unused():
    return get_websocket_manager()
`

const POOL = `class ConnectionRegistry:
    def __init__(self):
        self.active_connections = {}


class RegistryChild(ConnectionRegistry):
    pass


class NotAStore:
    def __init__(self):
        self.connections_seen = 0
        self.items = {}


store = NotAStore()
`

describe('scan: what runs when Python imports a module', () => {
  it('finds every import-time form and nothing that does not run on import', async () => {
    const root = writeTree({ 'forms.py': FORMS, 'pool.py': POOL })
    const { report } = await scanFolder({ root, language: 'python', entries: [], calls: [], startup: [] })
    const found = report.findings
      .filter((finding) => finding.file === 'forms.py')
      .map((finding) => finding.line)
    expect([...new Set(found)].sort((a, b) => a - b)).toEqual(markedLines(FORMS, '# FOUND'))
    expect(report.findings.filter((finding) => finding.file === 'pool.py')).toEqual([])
    expect(report.skipped).toEqual([])
  })

  it('reports instances of classes that hold connections by class, and the calls inside constructors run by them', async () => {
    const root = writeTree({ 'forms.py': FORMS, 'pool.py': POOL })
    const { report } = await scanFolder({ root, language: 'python', entries: [], calls: [], startup: [] })
    const instances = report.findings.filter((finding) => finding.kind === 'instance')
    expect(instances.map((finding) => [finding.line, finding.call])).toEqual([
      [19, 'ConnectionRegistry'],
      [20, 'RegistryChild']
    ])
    const constructorCall = report.findings.find((finding) =>
      finding.code.startsWith('self.manager = get_websocket_manager()')
    )
    expect(constructorCall?.chains).toEqual([])
  })

  it('follows --call names instead of the defaults', async () => {
    const root = writeTree({
      'app.py': 'import db\nsession = db.open_session()\nmanager = get_websocket_manager()\n'
    })
    const { report } = await scanFolder({
      root,
      language: 'python',
      entries: [],
      calls: ['open_session'],
      startup: []
    })
    expect(report.findings.map((finding) => [finding.line, finding.call])).toEqual([[2, 'open_session']])
  })

  it('names a file that does not parse with its line, skips it, and scans the rest', async () => {
    const root = writeTree({
      'broken.py':
        'import os\n\ndef ok():\n    pass\n\ndef broken(:\n    manager = get_websocket_manager()\n',
      'fine.py': 'manager = get_websocket_manager()\n'
    })
    const { report } = await scanFolder({ root, language: 'python', entries: [], calls: [], startup: [] })
    expect(report.skipped).toHaveLength(1)
    expect(report.skipped[0]).toMatchObject({ file: 'broken.py', line: 6 })
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual(['fine.py:1'])
  })
})
