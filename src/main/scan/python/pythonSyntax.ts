import type { Node, Tree } from 'web-tree-sitter'
import type { CallSite } from '../model'
import { NEVER_UNIT, ownersOf, type OwnedRange } from '../units'

/**
 * What one Python file says, before any other file is known: its units' calls and import statements, its
 * functions and classes. Units are named by qualified name ('' is the module body).
 */
export interface PyImportStatement {
  unit: string
  line: number
  /** `import a.b as c` is { dotted: 'a.b', alias: 'c' }; `from ..m import x` is level 2, module 'm'. */
  form:
    | { kind: 'import'; names: Array<{ dotted: string; alias: string | null }> }
    | {
        kind: 'from'
        level: number
        module: string
        names: Array<{ name: string; alias: string | null }> | 'star'
      }
}

export interface PyFunction {
  id: string
  name: string
  line: number
  owner: string
  bodyRunsOnCall: boolean
}

export interface PyClass {
  id: string
  name: string
  line: number
  owner: string
  bases: string[][]
  members: Map<string, string>
  holdsConnections: boolean
}

export interface PySyntax {
  calls: Map<string, CallSite[]>
  imports: PyImportStatement[]
  functions: PyFunction[]
  classes: PyClass[]
}

/** Attribute names that make a container a connection store (the class rule in docs/scan.md). */
const CONNECTION_ATTRIBUTE = /connection|socket|client/i
const CONTAINER_LITERALS = new Set([
  'dictionary',
  'list',
  'set',
  'dictionary_comprehension',
  'list_comprehension',
  'set_comprehension'
])
const CONTAINER_CALLS = new Set([
  'dict',
  'list',
  'set',
  'defaultdict',
  'OrderedDict',
  'Counter',
  'deque',
  'WeakSet',
  'WeakValueDictionary',
  'WeakKeyDictionary'
])

const KINDS = [
  'call',
  'decorator',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'function_definition',
  'class_definition',
  'lambda',
  'generator_expression',
  'if_statement',
  'while_statement',
  'yield',
  'assignment'
]

export function pythonSyntax(tree: Tree): PySyntax {
  const nodes = tree.rootNode.descendantsOfType(KINDS).filter((node): node is Node => node !== null)
  const byKind = (kind: string) => nodes.filter((node) => node.type === kind)
  const ranges: OwnedRange[] = []
  const functionNodes = byKind('function_definition')
  const functionIds = functionNodes.map(qualifiedName)
  functionNodes.forEach((node, index) => {
    const body = node.childForFieldName('body')
    if (body) ranges.push({ start: body.startIndex, end: body.endIndex, unit: functionIds[index]! })
  })
  for (const node of byKind('lambda')) {
    const body = node.childForFieldName('body')
    if (body) ranges.push({ start: body.startIndex, end: body.endIndex, unit: NEVER_UNIT })
  }
  for (const node of byKind('generator_expression')) ranges.push(...lazyPartsOfGenerator(node))
  for (const node of byKind('if_statement')) {
    const consequence = node.childForFieldName('consequence')
    const condition = node.childForFieldName('condition')
    if (consequence && condition && conditionNeverTrueOnImport(condition))
      ranges.push({ start: consequence.startIndex, end: consequence.endIndex, unit: NEVER_UNIT })
    // `if True:` never reaches its elif and else clauses.
    if (condition?.type === 'true')
      for (const clause of node.childrenForFieldName('alternative'))
        if (clause) ranges.push({ start: clause.startIndex, end: clause.endIndex, unit: NEVER_UNIT })
  }
  for (const node of byKind('while_statement')) {
    const body = node.childForFieldName('body')
    const condition = node.childForFieldName('condition')
    if (body && condition && conditionNeverTrueOnImport(condition))
      ranges.push({ start: body.startIndex, end: body.endIndex, unit: NEVER_UNIT })
  }
  if (byKind('future_import_statement').some((node) => node.text.includes('annotations')))
    for (const node of tree.rootNode.descendantsOfType('type')) {
      // PEP 563: with `from __future__ import annotations`, annotations are kept as strings, never evaluated.
      if (node) ranges.push({ start: node.startIndex, end: node.endIndex, unit: NEVER_UNIT })
    }

  const owned = (list: Node[]) => {
    const owners = ownersOf(
      list.map((node) => node.startIndex),
      ranges
    )
    return list.map((node, index) => ({ node, unit: owners[index]! }))
  }

  const calls = new Map<string, CallSite[]>()
  const addCall = (unit: string, site: CallSite) => {
    if (unit === NEVER_UNIT) return
    const list = calls.get(unit)
    if (list) list.push(site)
    else calls.set(unit, [site])
  }
  for (const { node, unit } of owned(byKind('call'))) {
    const callee = node.childForFieldName('function')
    if (callee) addCall(unit, { ...calleePath(callee), ...position(node), construct: false })
  }
  for (const { node, unit } of owned(byKind('decorator'))) {
    // `@name` calls name(function) when the definition runs; `@name(...)` is already a call node.
    const expression = node.namedChild(0)
    if (expression && expression.type !== 'call')
      addCall(unit, { ...calleePath(expression), ...position(expression), construct: false })
  }

  const imports: PyImportStatement[] = []
  for (const { node, unit } of owned([...byKind('import_statement'), ...byKind('import_from_statement')])) {
    if (unit === NEVER_UNIT) continue
    const form = importForm(node)
    if (form) imports.push({ unit, line: node.startPosition.row + 1, form })
  }

  const generators = new Set(owned(byKind('yield')).map(({ unit }) => unit))
  const functionOwners = owned(functionNodes)
  const functions: PyFunction[] = functionNodes.map((node, index) => ({
    id: functionIds[index]!,
    name: node.childForFieldName('name')?.text ?? '',
    line: node.startPosition.row + 1,
    owner: functionOwners[index]!.unit,
    bodyRunsOnCall: node.firstChild?.type !== 'async' && !generators.has(functionIds[index]!)
  }))

  const classNodes = byKind('class_definition')
  const classOwners = owned(classNodes)
  const classes: PyClass[] = classNodes.map((node, index) => ({
    id: qualifiedName(node),
    name: node.childForFieldName('name')?.text ?? '',
    line: node.startPosition.row + 1,
    owner: classOwners[index]!.unit,
    bases: basesOf(node),
    members: new Map(),
    holdsConnections: false
  }))
  const classById = new Map(classes.map((entry) => [entry.id, entry]))
  functionNodes.forEach((node, index) => {
    const enclosing = enclosingClass(node)
    if (enclosing)
      classById.get(qualifiedName(enclosing))?.members.set(functions[index]!.name, functions[index]!.id)
  })
  for (const { node, unit } of owned(byKind('assignment'))) {
    const holder = connectionStoreHolder(node, unit)
    const holderClass = holder === null ? undefined : classById.get(holder)
    if (holderClass) holderClass.holdsConnections = true
  }
  return { calls, imports, functions, classes }
}

function position(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 }
}

/** `a.b.c` as ['a', 'b', 'c']; through a call or subscript only the last name is known. */
export function calleePath(node: Node): { path: string[]; resolvable: boolean } {
  if (node.type === 'identifier') return { path: [node.text], resolvable: true }
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object')
    const attribute = node.childForFieldName('attribute')?.text ?? ''
    if (!object) return { path: [attribute], resolvable: false }
    const inner = calleePath(object)
    return { path: [...inner.path, attribute], resolvable: inner.resolvable }
  }
  return { path: ['?'], resolvable: false }
}

/** `outer.Inner.method`: the names of the enclosing functions and classes, outermost first. */
function qualifiedName(node: Node): string {
  const names: string[] = []
  for (let current: Node | null = node; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'class_definition')
      names.unshift(current.childForFieldName('name')?.text ?? '?')
  }
  return names.join('.')
}

/** The class whose body directly holds this definition (through a decorator), if any. */
function enclosingClass(definition: Node): Node | null {
  let node = definition.parent
  if (node?.type === 'decorated_definition') node = node.parent
  return node?.type === 'block' && node.parent?.type === 'class_definition' ? node.parent : null
}

/** A generator expression runs its first iterable at once; its element and other clauses run only when consumed. */
function lazyPartsOfGenerator(node: Node): OwnedRange[] {
  const firstClause = node.namedChildren.find((child) => child?.type === 'for_in_clause')
  const iterable = firstClause?.childForFieldName('right')
  if (!iterable) return [{ start: node.startIndex, end: node.endIndex, unit: NEVER_UNIT }]
  return [
    { start: node.startIndex, end: iterable.startIndex, unit: NEVER_UNIT },
    { start: iterable.endIndex, end: node.endIndex, unit: NEVER_UNIT }
  ]
}

/**
 * False whenever the module is imported: `__name__ == "__main__"` (either way round), `TYPE_CHECKING`,
 * `typing.TYPE_CHECKING`, and the literals False, None and 0.
 */
function conditionNeverTrueOnImport(condition: Node): boolean {
  if (condition.type === 'false' || condition.type === 'none') return true
  if (condition.type === 'integer') return Number(condition.text) === 0
  if (condition.type === 'identifier') return condition.text === 'TYPE_CHECKING'
  if (condition.type === 'attribute')
    return condition.childForFieldName('attribute')?.text === 'TYPE_CHECKING'
  if (condition.type === 'comparison_operator' && condition.namedChildCount === 2) {
    const operator = condition.children.find((child) => child !== null && !child.isNamed)?.text
    const sides = condition.namedChildren.map((child) => child?.text.replace(/'/g, '"'))
    return operator === '==' && sides.includes('__name__') && sides.includes('"__main__"')
  }
  return false
}

function basesOf(node: Node): string[][] {
  const list = node.childForFieldName('superclasses')
  if (!list) return []
  return list.namedChildren
    .filter(
      (child): child is Node => child !== null && (child.type === 'identifier' || child.type === 'attribute')
    )
    .map((child) => calleePath(child).path)
}

/**
 * The class an assignment makes a connection store of: `self.<name> = <container>` in its __init__, or
 * `<name> = <container>` in its body, where <name> mentions connections, sockets or clients.
 */
function connectionStoreHolder(assignment: Node, unit: string): string | null {
  const left = assignment.childForFieldName('left')
  const right = assignment.childForFieldName('right')
  if (!left || !right || !isContainer(right)) return null
  if (left.type === 'attribute') {
    const object = left.childForFieldName('object')
    const name = left.childForFieldName('attribute')?.text ?? ''
    if (object?.text !== 'self' || !CONNECTION_ATTRIBUTE.test(name) || !unit.endsWith('.__init__'))
      return null
    return unit.slice(0, -'.__init__'.length)
  }
  if (left.type !== 'identifier' || !CONNECTION_ATTRIBUTE.test(left.text)) return null
  const block = assignment.parent?.parent
  return block?.type === 'block' && block.parent?.type === 'class_definition'
    ? qualifiedName(block.parent)
    : null
}

function isContainer(node: Node): boolean {
  if (CONTAINER_LITERALS.has(node.type)) return true
  if (node.type !== 'call') return false
  const callee = node.childForFieldName('function')
  if (!callee) return false
  const path = calleePath(callee).path
  return CONTAINER_CALLS.has(path[path.length - 1] ?? '')
}

function importForm(node: Node): PyImportStatement['form'] | null {
  if (node.type === 'import_statement') {
    const names = node.childrenForFieldName('name').flatMap((child) => {
      if (!child) return []
      if (child.type === 'aliased_import')
        return [
          {
            dotted: child.childForFieldName('name')?.text ?? '',
            alias: child.childForFieldName('alias')?.text ?? null
          }
        ]
      return [{ dotted: child.text, alias: null }]
    })
    return { kind: 'import', names }
  }
  const moduleNode = node.childForFieldName('module_name')
  if (!moduleNode) return null
  let level = 0
  let module = moduleNode.text
  if (moduleNode.type === 'relative_import') {
    const prefix = moduleNode.namedChildren.find((child) => child?.type === 'import_prefix')
    level = prefix?.text.length ?? 0
    module = moduleNode.namedChildren.find((child) => child?.type === 'dotted_name')?.text ?? ''
  }
  if (node.namedChildren.some((child) => child?.type === 'wildcard_import'))
    return { kind: 'from', level, module, names: 'star' }
  const names = node.childrenForFieldName('name').flatMap((child) => {
    if (!child) return []
    if (child.type === 'aliased_import')
      return [
        {
          name: child.childForFieldName('name')?.text ?? '',
          alias: child.childForFieldName('alias')?.text ?? null
        }
      ]
    return [{ name: child.text, alias: null }]
  })
  return { kind: 'from', level, module, names }
}

/** The first place the file does not parse: an ERROR node, or a token the parser had to assume was there. */
export function firstSyntaxError(tree: Tree): { line: number; column: number; message: string } | null {
  if (!tree.rootNode.hasError) return null
  const cursor = tree.walk()
  try {
    for (;;) {
      const node = cursor.currentNode
      if (node.type === 'ERROR' || node.isMissing) {
        const where = { line: node.startPosition.row + 1, column: node.startPosition.column + 1 }
        const message = node.isMissing
          ? `syntax error: missing '${node.type}'`
          : `syntax error near '${firstLine(node.text)}'`
        return { ...where, message }
      }
      if (node.hasError && cursor.gotoFirstChild()) continue
      while (!cursor.gotoNextSibling())
        if (!cursor.gotoParent()) return { line: 1, column: 1, message: 'syntax error' }
    }
  } finally {
    cursor.delete()
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 40 ? `${line.slice(0, 40)}…` : line
}
