import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** A node of fast-xml-parser's order-preserving output: `{ tag: children, ':@': attributes }` or `{ '#text': s }`. */
type OrderedNode = Record<string, unknown>

export interface XmlElement {
  tag: string
  attributes: Record<string, string>
  /** Concatenated text and CDATA content (entities decoded). */
  text: string
  elements: XmlElement[]
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // numeric character references (&#13;) appear in exported scripts; fast-xml-parser decodes them in this mode
  htmlEntities: true,
})

/** Parses a whole document into its single root element, or returns why it is not well-formed XML. */
export function parseXmlDocument(text: string): { root: XmlElement } | { problem: string } {
  const body = text.replace(/^\uFEFF/, '')
  if (body.includes('\u0000')) return { problem: 'it contains NUL bytes: it is binary, not XML' }
  if (!body.trimStart().startsWith('<')) return { problem: 'it does not start with "<": it is not XML' }
  const valid = XMLValidator.validate(body)
  if (valid !== true) return { problem: `malformed XML at line ${valid.err.line}: ${valid.err.msg}` }
  const nodes = parser.parse(body) as OrderedNode[]
  const roots = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined)
  if (roots.length !== 1) return { problem: `expected one root element, found ${roots.length}` }
  return { root: roots[0]! }
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const tag = Object.keys(node).find((k) => k !== ':@' && k !== '#text')
  if (tag === undefined) return undefined
  const children = (node[tag] as OrderedNode[] | undefined) ?? []
  const attributes = (node[':@'] as Record<string, string> | undefined) ?? {}
  let text = ''
  const elements: XmlElement[] = []
  for (const child of children) {
    if ('#text' in child) text += String(child['#text'])
    else {
      const element = toElement(child)
      if (element) elements.push(element)
    }
  }
  // whitespace between child elements is layout, not a value
  if (elements.length > 0 && text.trim() === '') text = ''
  return { tag, attributes, text, elements }
}
