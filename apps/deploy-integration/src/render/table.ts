/** A plain-text table; widths from the content, no colour codes inside cells (they would break the widths). */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const fmt = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)]
}
