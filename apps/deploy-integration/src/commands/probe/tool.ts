import pkg from '../../../package.json' with { type: 'json' }

/** Who wrote a profile. */
export const TOOL = { name: 'deploy-integration', version: pkg.version } as const
