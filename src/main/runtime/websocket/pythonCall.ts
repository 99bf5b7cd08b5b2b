import { typeError } from '../errors'

/** A call as Python sees it: positional arguments and keyword arguments. */
export interface PythonCall {
  args: readonly unknown[]
  kwargs: Readonly<Record<string, unknown>>
}

export const positional = (...args: unknown[]): PythonCall => ({ args, kwargs: {} })
export const keywords = (kwargs: Record<string, unknown>): PythonCall => ({ args: [], kwargs })

/**
 * Binds a call to a signature the way CPython does, with CPython's TypeError texts. Seed 003's failure is a
 * keyword that the signature does not have; reproducing it needs real binding, not a flag.
 */
export function bindCall(
  functionName: string,
  parameters: readonly string[],
  call: PythonCall
): Record<string, unknown> {
  if (call.args.length > parameters.length) {
    throw typeError(
      `${functionName}() takes ${parameters.length} positional argument${parameters.length === 1 ? '' : 's'} but ${call.args.length} were given`
    )
  }
  const bound: Record<string, unknown> = {}
  call.args.forEach((value, index) => {
    bound[parameters[index] as string] = value
  })
  for (const [name, value] of Object.entries(call.kwargs)) {
    if (!parameters.includes(name))
      throw typeError(`${functionName}() got an unexpected keyword argument '${name}'`)
    if (name in bound) throw typeError(`${functionName}() got multiple values for argument '${name}'`)
    bound[name] = value
  }
  const missing = parameters.filter((name) => !(name in bound))
  if (missing.length > 0) {
    const names = missing.map((name) => `'${name}'`).join(' and ')
    throw typeError(
      `${functionName}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${names}`
    )
  }
  return bound
}
