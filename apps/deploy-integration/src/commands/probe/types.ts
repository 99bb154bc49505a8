import type { ProbedSwitch, ProbeEvidence, RoleObservation, SwitchObservation } from '@kandji-sn/contract'
import type { AuthConfig, ServiceNowClient } from '@kandji-sn/servicenow-client'

/** A table the probe may create throw-away objects in, and the field that carries their `kandji_probe_` name. */
export interface ProbeTable {
  table: string
  nameField: string
}

/** What one experiment gets from the probe command. */
export interface ProbeContext {
  /** The admin, signed in as for every other command. */
  admin: ServiceNowClient
  instanceUrl: string
  /** A client for another identity on the same instance (a probe user, a probe OAuth client). */
  clientFor(auth: AuthConfig): ServiceNowClient
  /**
   * Records a throw-away object the moment the instance may have created it, so cleanup removes it even when the
   * probe fails or is interrupted later. `name` must start with PROBE.namePrefix.
   */
  created(table: string, sysId: string, name: string): void
  /** Cancelled on Ctrl-C: an experiment stops at its next request and cleanup runs. */
  signal: AbortSignal
  /** Something the run found that the product assumes otherwise: shown in the summary and the --json result. */
  note?(text: string): void
  /** What one role contains, for the profile's `roles` section (experiments/roles.ts). */
  role?(name: string, observation: RoleObservation): void
}

/** One experiment: settles one or more switches by observation (never by reading the emulator's settings). */
export interface SwitchProbe {
  /** Short id for progress output and errors, e.g. `oauth-grants`. */
  id: string
  switches: readonly ProbedSwitch[]
  /** Tables it may create objects in: cleanup looks for leftovers of an earlier, interrupted run there too. */
  tables: readonly ProbeTable[]
  run(ctx: ProbeContext): Promise<Partial<Record<ProbedSwitch, SwitchObservation>>>
  /** Removes what the generic by-sys_id cleanup cannot (e.g. uninstalls the probe app); must be idempotent. */
  cleanup?(ctx: ProbeContext): Promise<void>
}

export type { ProbeEvidence }
