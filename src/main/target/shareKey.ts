import type { TargetFile } from '../../shared/targetFile'
import { renderTemplate } from './template'
import { TargetFileError } from './targetFileError'

const BUILT_IN: readonly string[] = ['index', 'nonce', 'user_id', 'token', 'canary', 'run']

/**
 * users.shareKey: the variable users share in groups of groupSize (users 1..k get group 1, k+1..2k group 2, ...),
 * so that a manager cached per room, conversation or topic is used by several users at once. A per-key cache bug
 * is invisible while every user has a key of its own.
 */
export function shareKeyVariables(
  file: TargetFile,
  index: number,
  nonce: string,
  groupSize: number | undefined = file.users.shareKey?.groupSize
): Record<string, string> {
  const share = file.users.shareKey
  if (share === undefined) {
    if (groupSize === undefined) return {}
    throw new TargetFileError('--group-size', [
      '--group-size: the target file has no users.shareKey to group; add e.g. "shareKey": {"var": "room", "groupSize": 2} to users'
    ])
  }
  if (BUILT_IN.includes(share.var))
    throw new TargetFileError('users.shareKey', [
      `users.shareKey.var: '${share.var}' is a built-in variable; name the shared key, e.g. "room"`
    ])
  if (Object.hasOwn(file.users.vars, share.var))
    throw new TargetFileError('users.shareKey', [
      `users.shareKey.var: '${share.var}' is also in users.vars; remove it from vars (shareKey sets it)`
    ])
  const group = String(Math.ceil(index / (groupSize ?? share.groupSize)))
  return { [share.var]: renderTemplate('users.shareKey.value', share.value, { group, nonce }) }
}
