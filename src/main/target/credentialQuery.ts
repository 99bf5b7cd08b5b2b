/** A template value that carries a credential: the user's token or a value captured from a login reply. */
const CREDENTIAL = /\{\{\s*(token|captured\.[^}\s]+)\s*\}\}/

/**
 * The names of the query parameters of a url template whose value carries a credential
 * (`?access_token={{captured.token}}`), so that messages can show them as `***` as they do `auth` `in: "query"`.
 * The template is read as text: its host or path may hold `{{…}}` that is not a valid URL yet.
 */
export function credentialQueryNames(template: string): string[] {
  const query = template.split('#')[0]?.split('?').slice(1).join('?') ?? ''
  const names: string[] = []
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=')
    if (equals <= 0 || !CREDENTIAL.test(pair.slice(equals + 1))) continue
    names.push(decodeName(pair.slice(0, equals)))
  }
  return names
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}
