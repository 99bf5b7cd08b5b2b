import ts from 'typescript'
import { emptyUnit, type Binding, type ClassDef, type ExecUnit, type FunctionDef } from '../model'

/** Resolves a module specifier written in the file to a scanned file, or null (a package, or not in the tree). */
export type SpecifierResolver = (specifier: string) => string | null

export interface WalkedModule {
  topLevel: ExecUnit
  defs: Map<string, FunctionDef | ClassDef>
  starSources: string[]
}

const CONNECTION_NAME = /connection|socket|client/i
const CONTAINER_CONSTRUCTORS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array'])

/**
 * What runs when a TypeScript or JavaScript module is evaluated: its top-level statements, and of each class its
 * decorators, `extends` expression, computed names, static field initialisers and static blocks. Function and
 * method bodies (getters included) run when called; instance field initialisers when the class is constructed.
 */
export function walkTypescript(source: ts.SourceFile, resolveSpecifier: SpecifierResolver): WalkedModule {
  const defs = new Map<string, FunctionDef | ClassDef>()
  const starSources: string[] = []
  const topLevel = emptyUnit()
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source))
  const aliases: Array<{ bound: string; local: string }> = []

  const defineFunction = (
    name: string,
    id: string,
    node: ts.Node,
    body: ts.Node | undefined,
    runsOnCall: boolean
  ) => {
    const unit = emptyUnit()
    const def: FunctionDef = {
      kind: 'function',
      id,
      name,
      line: line(node).line + 1,
      unit,
      bodyRunsOnCall: runsOnCall
    }
    defs.set(id, def)
    if (body) visit(body, unit, id)
    return def
  }

  const functionRunsOnCall = (node: ts.FunctionLikeDeclaration) =>
    !node.asteriskToken && !(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Async)

  /** A function's parameters (their defaults run per call) and body, as one unit. */
  const defineFunctionLike = (name: string, id: string, node: ts.FunctionLikeDeclaration) => {
    const def = defineFunction(name, id, node, undefined, functionRunsOnCall(node))
    for (const parameter of node.parameters)
      if (parameter.initializer) visit(parameter.initializer, def.unit, id)
    if (node.body) visit(node.body, def.unit, id)
    return def
  }

  const defineClass = (node: ts.ClassLikeDeclaration, unit: ExecUnit, scope: string): ClassDef => {
    const name = node.name?.text ?? 'default'
    const id = scope ? `${scope}.${name}` : name
    const cls: ClassDef = {
      kind: 'class',
      id,
      name,
      line: line(node).line + 1,
      bases: [],
      members: new Map(),
      holdsConnections: false,
      constructionUnit: emptyUnit()
    }
    defs.set(id, cls)
    for (const decorator of ts.getDecorators(node) ?? []) visit(decorator.expression, unit, scope)
    for (const clause of node.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue
      for (const type of clause.types) {
        visit(type.expression, unit, scope)
        const path = pathOf(type.expression)
        if (path.resolvable) cls.bases.push(path.path)
      }
    }
    for (const member of node.members) {
      const isStatic =
        ts.canHaveModifiers(member) &&
        ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)
      if (ts.canHaveDecorators(member))
        for (const decorator of ts.getDecorators(member) ?? []) visit(decorator.expression, unit, scope)
      if (member.name && ts.isComputedPropertyName(member.name)) visit(member.name.expression, unit, scope)
      if (ts.isClassStaticBlockDeclaration(member)) visit(member.body, unit, scope)
      else if (ts.isPropertyDeclaration(member)) {
        if (member.initializer) visit(member.initializer, isStatic ? unit : cls.constructionUnit!, id)
        if (member.initializer && isConnectionStore(member.name.getText(source), member.initializer))
          cls.holdsConnections = true
      } else if (ts.isConstructorDeclaration(member)) {
        const ctor = defineFunctionLike('constructor', `${id}.constructor`, member)
        cls.members.set('constructor', ctor.id)
        if (member.body && assignsConnectionStore(member.body)) cls.holdsConnections = true
      } else if (ts.isMethodDeclaration(member) || ts.isGetAccessor(member) || ts.isSetAccessor(member)) {
        const memberName = member.name.getText(source)
        const method = defineFunctionLike(memberName, `${id}.${memberName}`, member)
        cls.members.set(memberName, method.id)
      }
    }
    return cls
  }

  const isConnectionStore = (name: string, value: ts.Expression) =>
    CONNECTION_NAME.test(name) &&
    (ts.isArrayLiteralExpression(value) ||
      ts.isObjectLiteralExpression(value) ||
      (ts.isNewExpression(value) &&
        ts.isIdentifier(value.expression) &&
        CONTAINER_CONSTRUCTORS.has(value.expression.text)))

  const assignsConnectionStore = (body: ts.Block) =>
    body.statements.some(
      (statement) =>
        ts.isExpressionStatement(statement) &&
        ts.isBinaryExpression(statement.expression) &&
        statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(statement.expression.left) &&
        statement.expression.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        isConnectionStore(statement.expression.left.name.text, statement.expression.right)
    )

  const bind = (unit: ExecUnit, name: string, binding: Binding) => unit.bindings.set(name, binding)

  const addImport = (unit: ExecUnit, node: ts.Node, specifier: string): string | null => {
    const file = resolveSpecifier(specifier)
    if (file) unit.imports.push({ line: line(node).line + 1, files: [file] })
    return file
  }

  const visit = (node: ts.Node, unit: ExecUnit, scope: string): void => {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return
    if (
      ts.canHaveModifiers(node) &&
      ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)
    )
      return

    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause
      if (clause?.isTypeOnly) return
      const named = clause?.namedBindings
      const allTypes =
        named &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        !clause?.name &&
        named.elements.every((e) => e.isTypeOnly)
      if (allTypes || !ts.isStringLiteral(node.moduleSpecifier)) return
      const file = addImport(unit, node, node.moduleSpecifier.text)
      if (clause?.name) bind(unit, clause.name.text, { kind: 'member', file, name: 'default' })
      if (named && ts.isNamespaceImport(named)) {
        bind(
          unit,
          named.name.text,
          file ? { kind: 'module', file } : { kind: 'member', file: null, name: named.name.text }
        )
      } else if (named) {
        for (const element of named.elements)
          if (!element.isTypeOnly)
            bind(unit, element.name.text, {
              kind: 'member',
              file,
              name: (element.propertyName ?? element.name).getText(source)
            })
      }
      return
    }
    if (ts.isExportDeclaration(node)) {
      if (node.isTypeOnly) return
      if (!node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier)) {
        if (node.exportClause && ts.isNamedExports(node.exportClause))
          for (const element of node.exportClause.elements)
            if (element.propertyName)
              aliases.push({ bound: element.name.text, local: element.propertyName.getText(source) })
        return
      }
      const file = addImport(unit, node, node.moduleSpecifier.text)
      const clause = node.exportClause
      if (!clause) {
        if (file) starSources.push(file)
      } else if (ts.isNamespaceExport(clause)) {
        if (file) bind(unit, clause.name.text, { kind: 'module', file })
      } else {
        for (const element of clause.elements)
          if (!element.isTypeOnly)
            bind(unit, element.name.text, {
              kind: 'member',
              file,
              name: (element.propertyName ?? element.name).getText(source)
            })
      }
      return
    }
    if (ts.isImportEqualsDeclaration(node)) {
      const reference = node.moduleReference
      if (
        !node.isTypeOnly &&
        ts.isExternalModuleReference(reference) &&
        ts.isStringLiteral(reference.expression)
      ) {
        const file = addImport(unit, node, reference.expression.text)
        bind(
          unit,
          node.name.text,
          file ? { kind: 'module', file } : { kind: 'member', file: null, name: node.name.text }
        )
      }
      return
    }
    if (ts.isFunctionDeclaration(node)) {
      const name = node.name?.text ?? 'default'
      const def = defineFunctionLike(name, scope ? `${scope}.${name}` : name, node)
      bind(unit, name, { kind: 'def', defId: def.id })
      if (isDefaultExport(node)) bind(unit, 'default', { kind: 'def', defId: def.id })
      return
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const cls = defineClass(node, unit, scope)
      if (ts.isClassDeclaration(node)) {
        bind(unit, cls.name, { kind: 'def', defId: cls.id })
        if (isDefaultExport(node)) bind(unit, 'default', { kind: 'def', defId: cls.id })
      }
      return
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = skipParentheses(node.initializer)
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        const def = defineFunctionLike(
          node.name.text,
          scope ? `${scope}.${node.name.text}` : node.name.text,
          init
        )
        bind(unit, node.name.text, { kind: 'def', defId: def.id })
        return
      }
      if (ts.isClassExpression(init)) {
        const cls = defineClass(init, unit, scope)
        bind(unit, node.name.text, { kind: 'def', defId: cls.id })
        return
      }
      const required = requiredSpecifier(init)
      if (required !== null) {
        const file = addImport(unit, init, required)
        bind(
          unit,
          node.name.text,
          file ? { kind: 'module', file } : { kind: 'member', file: null, name: node.name.text }
        )
        return
      }
    }
    if (
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isAccessor(node)
    ) {
      // A function value's body runs only when something calls it, which a static scan cannot know.
      defineFunctionLike('<anonymous>', `${scope}.<anonymous@${node.pos}>`, node)
      return
    }
    if (ts.isIfStatement(node) && neverTrueOnImport(node.expression)) {
      visit(node.expression, unit, scope)
      if (node.elseStatement) visit(node.elseStatement, unit, scope)
      return
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = skipParentheses(node.expression)
      if (ts.isCallExpression(node) && (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee))) {
        // An immediately invoked function runs its body here.
        if (callee.body) visit(callee.body, unit, scope)
        for (const argument of node.arguments) visit(argument, unit, scope)
        return
      }
      const required = ts.isCallExpression(node) ? requiredSpecifier(node) : null
      if (required !== null) {
        addImport(unit, node, required)
        return
      }
      if (callee.kind !== ts.SyntaxKind.ImportKeyword) {
        const where = line(node)
        unit.calls.push({
          ...pathOf(callee),
          line: where.line + 1,
          column: where.character + 1,
          construct: ts.isNewExpression(node)
        })
      }
    }
    ts.forEachChild(node, (child) => visit(child, unit, scope))
  }

  for (const statement of source.statements) visit(statement, topLevel, '')
  for (const { bound, local } of aliases) {
    const binding = topLevel.bindings.get(local)
    if (binding) topLevel.bindings.set(bound, binding)
  }
  return { topLevel, defs, starSources }
}

function isDefaultExport(node: ts.Node): boolean {
  const flags = ts.getCombinedModifierFlags(node as ts.Declaration)
  return (flags & ts.ModifierFlags.Export) !== 0 && (flags & ts.ModifierFlags.Default) !== 0
}

function skipParentheses(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression
  return node
}

/** `require('x')` with a literal: CommonJS's import. */
function requiredSpecifier(node: ts.Expression): string | null {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require')
    return null
  const [argument] = node.arguments
  return argument && ts.isStringLiteralLike(argument) ? argument.text : null
}

/** `require.main === module` and `import.meta.main`: true only when the file is run, not imported. */
function neverTrueOnImport(condition: ts.Expression): boolean {
  const text = condition.getText().replace(/\s+/g, '')
  return (
    condition.kind === ts.SyntaxKind.FalseKeyword ||
    text === 'require.main===module' ||
    text === 'module===require.main' ||
    text === 'import.meta.main'
  )
}

/** `a.b.f` as ['a', 'b', 'f']; through `this`, a call or an element access only the last name is known. */
function pathOf(node: ts.Expression): { path: string[]; resolvable: boolean } {
  if (ts.isIdentifier(node)) return { path: [node.text], resolvable: true }
  if (ts.isPropertyAccessExpression(node)) {
    const inner = pathOf(node.expression)
    return { path: [...inner.path, node.name.text], resolvable: inner.resolvable }
  }
  return { path: ['?'], resolvable: false }
}
