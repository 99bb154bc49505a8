// Bundles the CLI into one executable ESM file for Node 20: dist/deploy-integration.mjs.
import { build } from 'esbuild'
import { chmod } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const outfile = join(here, 'dist', 'deploy-integration.mjs')

await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // A CommonJS dependency inside an ESM bundle needs require(); the shebang makes the file executable.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
})
await chmod(outfile, 0o755)
console.log(`built ${outfile}`)
