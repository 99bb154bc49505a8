// release-manifest.json: what a release folder holds and where it came from.
import { createHash } from 'node:crypto'
import type { AppPackage } from '@kandji-sn/app-package'

export const MANIFEST_FILE = 'release-manifest.json'

export interface Artefact {
  file: string
  bytes: number
  sha256: string
}

export interface ReleaseManifest {
  version: string
  scope: string
  scopeId: string
  gitCommit: string
  date: string
  /** Records the package ships (one per file), by table; the DELETE records separately. */
  records: Record<string, number>
  deletes: Record<string, number>
  artefacts: Artefact[]
}

export function artefact(file: string, content: Uint8Array | string): Artefact {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  return { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }
}

function countBy(records: AppPackage['records']): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of [...records].sort((a, b) => a.table.localeCompare(b.table))) counts[r.table] = (counts[r.table] ?? 0) + 1
  return counts
}

export function buildManifest(pkg: AppPackage, gitCommit: string, date: string, artefacts: Artefact[]): ReleaseManifest {
  return {
    version: pkg.version,
    scope: pkg.scope,
    scopeId: pkg.scopeId,
    gitCommit,
    date,
    records: countBy(pkg.records.filter((r) => r.action !== 'DELETE')),
    deletes: countBy(pkg.records.filter((r) => r.action === 'DELETE')),
    artefacts,
  }
}
