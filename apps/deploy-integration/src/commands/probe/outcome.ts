import type { ProbedSwitch, ProbedSwitchValue, ProbeEvidence, SwitchObservation } from '@kandji-sn/contract'

export function observed<S extends ProbedSwitch>(_name: S, value: ProbedSwitchValue<S>, evidence: readonly ProbeEvidence[]): SwitchObservation {
  return { outcome: 'observed', value, evidence: [...evidence] }
}

export function couldNotTell(reason: string, evidence: readonly ProbeEvidence[]): SwitchObservation {
  return { outcome: 'could-not-tell', reason, evidence: [...evidence] }
}
