// Reading the JSON string IdentificationEngine.createOrUpdateCI returns (IdentificationEngineScopedAPI.md: items[]
// with sysId, operation, errors[{error, message}] and relatedItems[]). The device and the application transforms
// each interpret the first item their own way; the parsing and the error wording are shared here.

/** One item of IRE's answer, as far as the transforms read it. */
export interface IreItem {
  className?: unknown
  sysId?: unknown
  operation?: unknown
  errors?: unknown
  relatedItems?: unknown
}

export type IreAnswer = { ok: true; errors?: unknown; item: IreItem | undefined } | { ok: false; message: string }

/** The answer's top-level errors and first item; a failure when it is not JSON. */
export function parseIreAnswer(output: string): IreAnswer {
  let parsed: unknown
  try {
    parsed = JSON.parse(output)
  } catch {
    return { ok: false, message: `IRE returned something that is not JSON: ${String(output).slice(0, 200)}` }
  }
  const items = (parsed as { items?: unknown })?.items
  return { ok: true, errors: (parsed as { errors?: unknown })?.errors, item: Array.isArray(items) ? (items[0] as IreItem | undefined) : undefined }
}

/** IRE's errors as "ERROR_CODE: message" lines. */
export function collectErrors(errors: unknown): string[] {
  if (!Array.isArray(errors)) return []
  return errors.map((e) => {
    if (e && typeof e === 'object') {
      const { error, message } = e as { error?: unknown; message?: unknown }
      return [error, message].filter((x) => typeof x === 'string' && x).join(': ') || JSON.stringify(e)
    }
    return String(e)
  })
}
