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

export function pythonSyntax(tree: Tree, text: string): PySyntax {
  // One query for every kind, grouped once: reading a node's type crosses into the parser's memory each time.
  const groups = new Map<string, Node[]>()
  for (const node of tree.rootNode.descendantsOfType(KINDS)) {
    if (!node) continue
    const type = node.type
    const group = groups.get(type)
    if (group) group.push(node)
    else groups.set(type, [node])
  }
  const byKind = (kind: string): Node[] => groups.get(kind) ?? []
  const at = lineLocator(text)
  const ranges: OwnedRange[] = []

  const functionNodes = byKind('function_definition')
  const classNodes = byKind('class_definition')
  const nesting = definitionNesting([...functionNodes, ...classNodes], text)
  functionNodes.forEach((node) => {
    // The body is a definition's last child: it ends where the definition does.
    const body = node.childForFieldName('body')
    const definition = nesting.get(node)!
    if (body) ranges.push({ start: body.startIndex, end: definition.end, unit: definition.id })
  })
  for (const node of byKind('lambda')) {
    const body = node.childForFieldName('body')
    if (body) ranges.push({ start: body.startIndex, end: body.endIndex, unit: NEVER_UNIT })
  }
  for (const node of byKind('generator_expression')) ranges.push(...lazyPartsOfGenerator(node))
  // Module constants are worked out only if a condition names one.
  let constantsOfModule: Map<string, boolean> | null = null
  const constants = (name: string) => (constantsOfModule ??= moduleConstants(text)).get(name) ?? null
  for (const node of byKind('if_statement')) ranges.push(...ifBranchesNeverTaken(node, text, constants))
  for (const node of byKind('while_statement')) {
    if (firstLineTruth(text, node.startIndex, 'while', constants) !== false) continue
    const body = node.childForFieldName('body')
    if (body) ranges.push({ start: body.startIndex, end: body.endIndex, unit: NEVER_UNIT })
  }
  if (byKind('future_import_statement').some((node) => node.text.includes('annotations')))
    for (const node of tree.rootNode.descendantsOfType('type')) {
      // PEP 563: with `from __future__ import annotations`, annotations are kept as strings, never evaluated.
      if (node) ranges.push({ start: node.startIndex, end: node.endIndex, unit: NEVER_UNIT })
    }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end)

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
    if (unit === NEVER_UNIT) continue
    const written = writtenCallee(node, text)
    const { line, column } = at(node.startIndex)
    const assignedTo = ASSIGNED_NAME.exec(text.slice(node.startIndex - column + 1, node.startIndex))?.[1]
    if (written)
      addCall(unit, {
        path: written.path,
        resolvable: written.resolvable,
        line,
        column,
        construct: false,
        ...(assignedTo ? { assignedTo } : {})
      })
  }
  for (const { node, unit } of owned(byKind('decorator'))) {
    // `@name` calls name(function) when the definition runs; `@name(...)` is already a call node.
    const expression = node.namedChild(0)
    if (expression && expression.type !== 'call')
      addCall(unit, { ...calleePath(expression), ...at(expression.startIndex), construct: false })
  }

  const imports: PyImportStatement[] = []
  for (const { node, unit } of owned([...byKind('import_statement'), ...byKind('import_from_statement')])) {
    if (unit === NEVER_UNIT) continue
    const form = importFormFromText(text.slice(node.startIndex, node.endIndex)) ?? importForm(node)
    if (form) imports.push({ unit, line: at(node.startIndex).line, form })
  }

  const generators = new Set(owned(byKind('yield')).map(({ unit }) => unit))
  const functionOwners = owned(functionNodes)
  const functions: PyFunction[] = functionNodes.map((node, index) => {
    const { id, name } = nesting.get(node)!
    return {
      id,
      name,
      line: at(node.startIndex).line,
      owner: functionOwners[index]!.unit,
      bodyRunsOnCall: !text.startsWith('async', node.startIndex) && !generators.has(id)
    }
  })

  const classOwners = owned(classNodes)
  const classes: PyClass[] = classNodes.map((node, index) => ({
    id: nesting.get(node)!.id,
    name: nesting.get(node)!.name,
    line: at(node.startIndex).line,
    owner: classOwners[index]!.unit,
    bases: basesOf(node),
    members: new Map(),
    holdsConnections: false
  }))
  const classById = new Map(classes.map((entry) => [entry.id, entry]))
  functionNodes.forEach((node, index) => {
    const parent = nesting.get(node)!.parent
    if (parent?.type === 'class_definition')
      classById.get(nesting.get(parent)!.id)?.members.set(functions[index]!.name, functions[index]!.id)
  })
  // Only class bodies can make a class a connection store: look for assignments there alone.
  for (const classNode of classNodes) {
    if (!CONNECTION_STORE_TEXT.test(text.slice(classNode.startIndex, nesting.get(classNode)!.end))) continue
    const assignments = classNode
      .descendantsOfType('assignment')
      .filter((node): node is Node => node !== null)
    for (const { node, unit } of owned(assignments)) {
      const holder = connectionStoreHolder(node, unit)
      const holderClass = holder === null ? undefined : classById.get(holder)
      if (holderClass) holderClass.holdsConnections = true
    }
  }
  return { calls, imports, functions, classes }
}

/** 1-based line and column of a string index, by binary search over line starts. */
function lineLocator(text: string): (index: number) => { line: number; column: number } {
  const starts = [0]
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1))
    starts.push(index + 1)
  return (index) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= index) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: index - starts[low]! + 1 }
  }
}

/**
 * Each function and class definition's qualified name (`outer.Inner.method`) and the definition it is nested in,
 * from their extents alone (document order, a stack of open definitions): no walking up the tree node by node.
 */
function definitionNesting(
  definitions: Node[],
  text: string
): Map<Node, { id: string; name: string; end: number; parent: Node | null }> {
  const sorted = definitions
    .map((node) => ({ node, start: node.startIndex, end: node.endIndex }))
    .sort((a, b) => a.start - b.start || b.end - a.end)
  const result = new Map<Node, { id: string; name: string; end: number; parent: Node | null }>()
  const open: Array<{ node: Node; end: number; id: string }> = []
  for (const { node, start, end } of sorted) {
    while (open.length > 0 && open[open.length - 1]!.end <= start) open.pop()
    const parent = open[open.length - 1] ?? null
    const name =
      DEFINITION_NAME.exec(text.slice(start, start + 200))?.[1] ?? node.childForFieldName('name')?.text ?? '?'
    const id = parent ? `${parent.id}.${name}` : name
    result.set(node, { id, name, end, parent: parent?.node ?? null })
    open.push({ node, end, id })
  }
  return result
}

/** `name = ` alone before a call on its line: a plain assignment of the call's result. */
const ASSIGNED_NAME = /^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*$/
/** A definition's name, read from its first line: `def name`, `async def name`, `class Name`. */
const DEFINITION_NAME = /^(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)/
/** A class can only be a connection store if its text assigns a name that mentions one. */
const CONNECTION_STORE_TEXT = /(?:connection|socket|client)\w*\s*(?::[^=\n]*)?=[^=]/i

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

/** `name(` or `a.b.name(` at the start of a call's text. */
const SIMPLE_CALLEE = /^([A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*)[ \t]*\(/

/**
 * A call's function as a path. Most calls start with a dotted name, read straight from the source text (every
 * node property read crosses into the parser's memory, and a scan reads thousands); others go through the tree.
 */
function writtenCallee(call: Node, source: string): { path: string[]; resolvable: boolean } | null {
  const head = SIMPLE_CALLEE.exec(source.slice(call.startIndex, call.startIndex + 256))
  if (head) return { path: head[1]!.split('.').map((part) => part.trim()), resolvable: true }
  const callee = call.firstChild
  return callee ? calleePath(callee) : null
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
 * The branches of an if statement that never run on import: a consequence whose condition is known false, and
 * every clause after a condition known true. Conditions are read from the source's first line (below).
 */
function ifBranchesNeverTaken(
  node: Node,
  text: string,
  constants: (name: string) => boolean | null
): OwnedRange[] {
  const head = firstLineTruth(text, node.startIndex, 'if', constants)
  // With an unknown head only an elif can be judged: look no further when none is in sight.
  if (head === null && !/\belif\b/.test(text.slice(node.startIndex, node.startIndex + 400))) return []
  const never: OwnedRange[] = []
  const skip = (part: Node | null) => {
    if (part) never.push({ start: part.startIndex, end: part.endIndex, unit: NEVER_UNIT })
  }
  if (head === false) skip(node.childForFieldName('consequence'))
  let decided = head === true
  for (const clause of node.childrenForFieldName('alternative')) {
    if (!clause) continue
    if (decided) {
      skip(clause)
      continue
    }
    if (clause.type !== 'elif_clause') continue
    const truth = firstLineTruth(text, clause.startIndex, 'elif', constants)
    if (truth === false) skip(clause.childForFieldName('consequence'))
    if (truth === true) decided = true
  }
  return never
}

/** `if <condition>:` on one line, judged when it is one scan knows; null otherwise (both ways are taken). */
function firstLineTruth(
  text: string,
  start: number,
  keyword: 'if' | 'elif' | 'while',
  constants: (name: string) => boolean | null
): boolean | null {
  const line = text.slice(start, start + 200)
  const condition = CONDITION_LINE[keyword].exec(line)?.[1]
  return condition === undefined ? null : truthOnImport(condition.trim(), constants)
}

/**
 * What a condition is whenever the module is imported: `__name__ == "__main__"` (either way round),
 * `TYPE_CHECKING` and `typing.TYPE_CHECKING` are false; True, False, None and integer literals are what they are;
 * a module constant (below) is its value's truth; `not` inverts. Anything else is unknown.
 */
function truthOnImport(condition: string, constants: (name: string) => boolean | null): boolean | null {
  const negated = /^not[ \t]+(.+)$/.exec(condition)
  if (negated) {
    const inner = truthOnImport(negated[1]!.trim(), constants)
    return inner === null ? null : !inner
  }
  if (/^(?:typing\.)?TYPE_CHECKING$/.test(condition)) return false
  if (/^__name__[ \t]*==[ \t]*(['"])__main__\1$/.test(condition)) return false
  if (/^(['"])__main__\1[ \t]*==[ \t]*__name__$/.test(condition)) return false
  if (condition === 'True') return true
  if (condition === 'False' || condition === 'None') return false
  if (/^\d+$/.test(condition)) return Number(condition) !== 0
  return /^[A-Za-z_]\w*$/.test(condition) ? constants(condition) : null
}

/** The condition on a clause's first line, up to its colon. */
const CONDITION_LINE = {
  if: /^if[ \t(]+([^:\n]*?)[ \t)]*:/,
  elif: /^elif[ \t(]+([^:\n]*?)[ \t)]*:/,
  while: /^while[ \t(]+([^:\n]*?)[ \t)]*:/
} as const

/**
 * Module constants: a name assigned exactly once in the file, at the start of a line of the module body, to a
 * literal (True, False, None, a number or a one-line string), and bound nowhere else (no other assignment, `as`,
 * `for`, `global`, `import` of that name). `DEBUG = False` then `if DEBUG:` never runs its body on import.
 */
function moduleConstants(text: string): Map<string, boolean> {
  const constants = new Map<string, boolean>()
  const literal =
    /^([A-Za-z_]\w*)[ \t]*=[ \t]*(True|False|None|-?\d+(?:\.\d+)?|"[^"\n]*"|'[^'\n]*')[ \t]*(?:#[^\n]*)?$/gm
  for (let match = literal.exec(text); match; match = literal.exec(text)) {
    const [, name, value] = match as unknown as [string, string, string]
    const bound = new RegExp(
      `^[ \\t]*${name}[ \\t]*(?::[^=\\n]*)?(?:[-+*/%&|^@]|//|<<|>>|\\*\\*)?=(?!=)|\\b(?:as|for|global|nonlocal|import|def|class)[ \\t]+${name}\\b|,[ \\t]*${name}[ \\t]*[,=]`,
      'gm'
    )
    if ((text.match(bound) ?? []).length !== 1) continue
    const truth =
      value === 'True'
        ? true
        : value === 'False' || value === 'None'
          ? false
          : /^-?\d/.test(value)
            ? Number(value) !== 0
            : value.length > 2
    constants.set(name, truth)
  }
  return constants
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
  if (!left) return null
  const isAttribute = left.type === 'attribute'
  const name = isAttribute
    ? (left.childForFieldName('attribute')?.text ?? '')
    : left.type === 'identifier'
      ? left.text
      : ''
  if (!CONNECTION_ATTRIBUTE.test(name)) return null
  const right = assignment.childForFieldName('right')
  if (!right || !isContainer(right)) return null
  if (isAttribute) {
    if (left.childForFieldName('object')?.text !== 'self' || !unit.endsWith('.__init__')) return null
    return unit.slice(0, -'.__init__'.length)
  }
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

const DOTTED = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/
const ALIASED = /^([A-Za-z_][\w.]*)(?:\s+as\s+([A-Za-z_]\w*))?$/

/**
 * An import statement read from its text (comments, continuations and parentheses removed), which costs one read
 * of the source instead of a dozen of the tree; null when the text is not one of the plain forms.
 */
function importFormFromText(statement: string): PyImportStatement['form'] | null {
  // Most imports are one plain line; only the others need comments, continuations and parentheses removed.
  const flat = /[#\\()\n]/.test(statement)
    ? statement
        .replace(/#[^\n]*/g, '')
        .replace(/\\\n/g, ' ')
        .replace(/[()]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : statement.trim()
  const names = (list: string) => {
    const parsed = list
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => ALIASED.exec(part))
    return parsed.every((match) => match !== null && DOTTED.test(match[1]!))
      ? parsed.map((match) => ({ name: match![1]!, alias: match![2] ?? null }))
      : null
  }
  const plain = /^import (.+)$/.exec(flat)
  if (plain) {
    const list = names(plain[1]!)
    return list ? { kind: 'import', names: list.map(({ name, alias }) => ({ dotted: name, alias })) } : null
  }
  const from = /^from (\.*)([\w.]*) import (.+)$/.exec(flat)
  if (!from) return null
  const level = from[1]!.length
  const module = from[2]!
  if (level === 0 && !DOTTED.test(module)) return null
  if (module && !DOTTED.test(module)) return null
  if (from[3]!.trim() === '*') return { kind: 'from', level, module, names: 'star' }
  const list = names(from[3]!)
  if (!list || list.some(({ name }) => name.includes('.'))) return null
  return { kind: 'from', level, module, names: list }
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
