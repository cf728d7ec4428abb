// Reads an export with citation-js, the library behind many reference tools: RIS through its
// RIS reader, CSL-JSON as it is, then formats every item with citeproc-js (the CSL processor
// Zotero and Mendeley use) in the APA style. Prints {items, bibliography} as JSON.
// Usage: node citationjs.js ris|csl FILE  (NODE_PATH names the node_modules that hold it)
const fs = require('fs')
const { Cite, plugins } = require('@citation-js/core')
require('@citation-js/plugin-ris')
require('@citation-js/plugin-csl')

const [format, file] = process.argv.slice(2)
const text = fs.readFileSync(file, 'utf8')
let cite
if (format === 'ris') {
  cite = new Cite(text, { forceType: '@ris/file' })
} else if (format === 'csl') {
  cite = new Cite(JSON.parse(text), { forceType: '@csl/list+object' })
} else {
  throw new Error('format must be ris or csl')
}
const items = cite.data
const bibliography = items.map(item =>
  new Cite(item).format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' }).trim())
process.stdout.write(JSON.stringify({ items, bibliography }))
