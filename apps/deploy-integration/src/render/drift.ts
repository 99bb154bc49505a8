import type { DriftEntry } from '@kandji-sn/contract'
import type { Output } from './output.ts'
import { formatTable, indented } from './table.ts'

/** verify --drift: every difference from the desired state, one row each (the JSON result has the same list). */
export function renderDrift(out: Output, drift: readonly DriftEntry[]): void {
  out.line()
  if (drift.length === 0) {
    out.line(out.style('drift: none (the instance is in the desired state; deploy would change nothing)', 'green'))
    return
  }
  out.line(out.style(`drift: ${drift.length} difference${drift.length === 1 ? '' : 's'} from the desired state (\`deploy-integration deploy\` repairs all but role-added and app-incomplete)`, 'yellow'))
  out.lines(formatTable(['KIND', 'DETAIL'], drift.map((d) => [d.kind, d.detail]), indented(out.width, [1])).map((l) => `  ${l}`))
}
