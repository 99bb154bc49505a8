/** How a table fits a terminal. Without a width (not a terminal: logs, scripts) lines are as long as their content. */
export interface TableLayout {
  /** The most characters a line may have (the terminal's columns less any indent the caller adds). */
  width?: number | undefined
  /**
   * Columns of free text (by index) that wrap when the table is too wide; the others keep their width. Default: the
   * last column.
   */
  wrap?: readonly number[]
}

/** The layout of a table printed after a two-space indent on an output of `width` columns. */
export function indented(width: number | undefined, wrap: readonly number[]): TableLayout {
  return { width: width === undefined ? undefined : width - 2, wrap }
}

const GAP = '  '
/** A wrapped column narrower than this reads badly: below it the table is printed as one block per row instead. */
export const MIN_WRAP_WIDTH = 12
/** Narrower terminals are laid out as if they had this many columns (lines then run over). */
export const MIN_TABLE_WIDTH = 20

/**
 * A plain-text table; widths from the content, no colour codes inside cells (they would break the widths). With a
 * width it never prints a longer line: the wrap columns are narrowed and wrapped at spaces (a word longer than its
 * column is cut), continuation lines indented in their column; nothing is left out. When even the fixed columns do not
 * fit, each row becomes a block of `HEADER: value` lines wrapped to the width, continuation lines indented two spaces.
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, layout: TableLayout = {}): string[] {
  const natural = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const total = (widths: readonly number[]) => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1)
  if (layout.width === undefined || total(natural) <= layout.width) return renderRows(header, rows, natural)
  const width = Math.max(layout.width, MIN_TABLE_WIDTH)
  const wrap = new Set(layout.wrap ?? [header.length - 1])
  const fixed = total(natural.map((w, i) => (wrap.has(i) ? 0 : w)))
  const widths = fitWidths(natural, wrap, width - fixed, header)
  return widths && total(widths) <= width ? renderRows(header, rows, widths) : renderBlocks(header, rows, width)
}

/**
 * Shares `room` among the wrap columns, narrowest first, none wider than its content; undefined when a wrap column
 * would get less than MIN_WRAP_WIDTH (or its header).
 */
function fitWidths(natural: readonly number[], wrap: ReadonlySet<number>, room: number, header: readonly string[]): number[] | undefined {
  const widths = [...natural]
  const order = [...wrap].sort((a, b) => (natural[a] ?? 0) - (natural[b] ?? 0))
  let left = room
  for (const [n, i] of order.entries()) {
    const share = Math.floor(left / (order.length - n))
    const w = Math.min(natural[i] ?? 0, share)
    if (w < Math.min(natural[i] ?? 0, Math.max(MIN_WRAP_WIDTH, header[i]?.length ?? 0))) return undefined
    widths[i] = w
    left -= w
  }
  return widths
}

function renderRows(header: readonly string[], rows: ReadonlyArray<readonly string[]>, widths: readonly number[]): string[] {
  const fmt = (cells: readonly string[]): string[] => {
    const wrapped = widths.map((w, i) => wrapText(cells[i] ?? '', w))
    const height = Math.max(...wrapped.map((c) => c.length))
    return Array.from({ length: height }, (_, line) =>
      wrapped
        .map((c, i) => (i === wrapped.length - 1 ? (c[line] ?? '') : (c[line] ?? '').padEnd(widths[i] ?? 0)))
        .join(GAP)
        .trimEnd(),
    )
  }
  return [...fmt(header), ...fmt(widths.map((w) => '-'.repeat(w))), ...rows.flatMap(fmt)]
}

function renderBlocks(header: readonly string[], rows: ReadonlyArray<readonly string[]>, width: number): string[] {
  return rows.flatMap((row, r) => [
    ...(r > 0 ? [''] : []),
    ...header.flatMap((h, i) => {
      const text = `${h}: ${row[i] ?? ''}`.trimEnd()
      const first = wrapText(text, width)[0] ?? ''
      const rest = text.slice(first.length).replace(/^ /, '')
      return rest === '' ? [first] : [first, ...wrapText(rest, width - 2).map((l) => `  ${l}`)]
    }),
  ])
}

/**
 * Lines of at most `width` characters, broken at a space (which the break takes) or, in a word longer than the width,
 * inside the word. Joining the lines with the spaces taken gives the text back.
 */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0 || text.length <= width) return [text]
  const lines: string[] = []
  let rest = text
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width)
    if (cut <= 0) {
      lines.push(rest.slice(0, width))
      rest = rest.slice(width)
    } else {
      lines.push(rest.slice(0, cut))
      rest = rest.slice(cut + 1)
    }
  }
  lines.push(rest)
  return lines
}

/**
 * `prefix` + `text` in lines of at most `width` (none: one line), continuation lines indented under the text: for the
 * long notes and warnings of a plan.
 */
export function hangingLines(prefix: string, text: string, width: number | undefined): string[] {
  if (width === undefined || prefix.length + text.length <= width) return [`${prefix}${text}`]
  const room = Math.max(width, MIN_TABLE_WIDTH) - prefix.length
  if (room < MIN_WRAP_WIDTH) return [`${prefix}${text}`]
  const indent = ' '.repeat(prefix.length)
  return wrapText(text, room).map((l, i) => `${i === 0 ? prefix : indent}${l}`)
}
