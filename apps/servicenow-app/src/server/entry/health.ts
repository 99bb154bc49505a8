// Required by the health monitor's scheduled job (src/fluent/health.now.ts).
import { runHealthMonitor, type HealthOutcome } from '../health/monitor.ts'
import { glidePlatform } from '../platform/glide.ts'

export function runHealth(): HealthOutcome {
  return runHealthMonitor(glidePlatform())
}
