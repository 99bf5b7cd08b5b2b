import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A generated Python code base for the scan bench: `modules` modules in packages of 50, each importing a few
 * others (absolute and relative), with classes, methods, decorators and a `__main__` block; one in a hundred
 * creates a WebSocket manager at import time; one in twenty is a test file that imports three modules.
 */
export function writePythonTree(root: string, modules: number): { files: number; planted: number } {
  const perPackage = 50
  const packages = Math.ceil(modules / perPackage)
  let files = 0
  let planted = 0
  for (let pkg = 0; pkg < packages; pkg++) {
    const dir = join(root, 'app', `pkg${pkg}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, '__init__.py'), `"""Package ${pkg}."""\n`)
    files++
  }
  writeFileSync(join(root, 'app', '__init__.py'), '')
  files++
  mkdirSync(join(root, 'tests'), { recursive: true })
  for (let index = 0; index < modules; index++) {
    const pkg = Math.floor(index / perPackage)
    const other = (index * 7 + 3) % modules
    const sibling = (index % perPackage) + 1 < perPackage ? index + 1 : index - 1
    const plant = index % 100 === 42
    if (plant) planted++
    if (index % 20 === 19) {
      const targets = [index, other, (index * 13) % modules].map(
        (target) => `from app.pkg${Math.floor(target / perPackage)} import mod${target}`
      )
      writeFileSync(
        join(root, 'tests', `test_mod${index}.py`),
        `${targets.join('\n')}\n\n\ndef test_mod${index}():\n    assert mod${index}.helper_${index}(3) == 6\n`
      )
      files++
    }
    writeFileSync(
      join(root, 'app', `pkg${pkg}`, `mod${index}.py`),
      moduleText(index, pkg, other, sibling, plant)
    )
    files++
  }
  return { files, planted }
}

function moduleText(index: number, pkg: number, other: number, sibling: number, plant: boolean): string {
  const otherPkg = Math.floor(other / 50)
  return `"""Module ${index}: a service, its helpers and a route."""
import os
import functools
from app.pkg${otherPkg}.mod${other} import helper_${other}
from . import mod${sibling}
${plant ? 'from app.websocket_core import get_websocket_manager\n' : ''}
CONSTANT_${index} = ${index}
_cache = {}
${plant ? 'manager = get_websocket_manager()\n' : ''}

def decorator(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)
    return wrapper


class Service${index}:
    """Handles requests for part ${index}."""

    kind = "service"

    def __init__(self, name, options=None):
        self.name = name
        self.options = options or {}
        self.items = []

    def handle(self, request):
        result = helper_${other}(len(request))
        for item in self.items:
            if item and not item.startswith("_"):
                result += len(item)
        return result

    @property
    def label(self):
        return f"service {self.name} ({len(self.items)} items)"


def helper_${index}(value):
    total = 0
    for step in range(value):
        total += step * 2 if step % 2 else step
    return total


def build_${index}():
    service = Service${index}(os.environ.get("NAME", "default"))
    service.items.extend(str(n) for n in range(3))
    return service


@decorator
def route_${index}(request, limit=10):
    service = build_${index}()
    try:
        return service.handle(request)[:limit]
    except (TypeError, ValueError) as error:
        return {"error": str(error), "module": mod${sibling}.__name__}


if __name__ == "__main__":
    print(route_${index}("hello"))
`
}
