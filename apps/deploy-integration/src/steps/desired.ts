import type { AppSource, InstanceAddress } from '@kandji-sn/contract'

/** What deploy should make true on one instance, resolved from flags, environment and the config file. */
export interface DesiredState {
  instance: InstanceAddress
  serviceAccount: {
    userName: string
    /** Given in the config; otherwise generated when the account is created. */
    password?: string
    email?: string
    /** web_service_access_only; false with --interactive-account (facts 3.3 [U]). */
    webServiceOnly: boolean
  }
  oauthClient: {
    name: string
    /** Given in the config; otherwise generated locally (secretSource generate) or by the instance. */
    clientSecret?: string
    secretSource: 'generate' | 'instance'
  }
  app: {
    source: AppSource
    /** Path to the package zip (source package); default: the built one in the repository. */
    packagePath?: string
    /** Version to install from the app repository (source repo). */
    version?: string
    /** --replace-store-app: uninstall another app that holds the scope (the vendor's Store app) and install ours. */
    replaceStoreApp?: boolean
  }
  /** Remove direct role grants beyond the three the integration needs. */
  pruneRoles: boolean
}
