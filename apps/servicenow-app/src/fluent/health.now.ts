import '@servicenow/sdk/global'
import { Acl, EmailNotification, Record, ScheduledScript, StringColumn, Table } from '@servicenow/sdk/core'
import { APP, APP_ROLES, HEALTH_RUN } from '@kandji-sn/contract/constants'
import { healthJobScript } from './bridges.ts'
import { adminRole, viewerRole } from './roles.now.ts'

// The health monitor (issue 16; src/server/health/monitor.ts). One row per run; the job wakes every 5 minutes
// (HEALTH_JOB_TICK_MINUTES) and runs when the interval property (APP_SETTINGS.healthIntervalMinutes) has passed since
// the last run: a sysauto_script's Repeat interval is a fixed field that cannot read a property.

// The SDK requires each Table to be exported under its table name (TS213).
export const x_kandj_kandji_health_run = Table({
  name: HEALTH_RUN.table,
  label: 'Kandji Integration Health Run',
  schema: {
    // HEALTH_STATUSES, written by the monitor. [U] No choice list: the SDK packs one as sys_choice_v2, which
    // app-package's scan refuses (no sys_id), and it cannot evaluate HEALTH_STATUSES[i] in a choice key.
    status: StringColumn({ label: 'Status', maxLength: 40 }),
    failing_checks: StringColumn({ label: 'Failing checks', maxLength: 1000 }),
    figures: StringColumn({ label: 'Figures (JSON)', maxLength: 8000 }),
    summary: StringColumn({ label: 'Summary', maxLength: 4000 }),
  },
})

/** Viewers (and so admins) read the runs; only admins change or delete them. The job runs as system. */
export const healthRunReadAcl = Acl({
  $id: Now.ID['acl_health_run_read'],
  type: 'record',
  table: HEALTH_RUN.table,
  operation: 'read',
  roles: [viewerRole, adminRole],
})

export const healthRunWriteAcl = Acl({
  $id: Now.ID['acl_health_run_write'],
  type: 'record',
  table: HEALTH_RUN.table,
  operation: 'write',
  roles: [adminRole],
})

export const healthRunCreateAcl = Acl({
  $id: Now.ID['acl_health_run_create'],
  type: 'record',
  table: HEALTH_RUN.table,
  operation: 'create',
  roles: [adminRole],
})

export const healthRunDeleteAcl = Acl({
  $id: Now.ID['acl_health_run_delete'],
  type: 'record',
  table: HEALTH_RUN.table,
  operation: 'delete',
  roles: [adminRole],
})

export const healthJob = ScheduledScript({
  $id: Now.ID['health_job'],
  name: HEALTH_RUN.job,
  active: true,
  frequency: 'periodically',
  executionInterval: { minutes: 5 },
  executionStart: '2026-01-01 00:00:00',
  script: healthJobScript,
})

// A scoped app registers its event with both suffix and the full name (the SDK's registering-events guide).
export const healthEvent = Record({
  $id: Now.ID['health_event'],
  table: 'sysevent_register',
  data: {
    event_name: HEALTH_RUN.event,
    suffix: 'health.degraded',
    table: HEALTH_RUN.table,
    description: `Queued by the ${HEALTH_RUN.job} when a run is worse than the one before. parm1: sys_ids of the active ${APP_ROLES.admin} users; parm2: the run's summary.`,
    fired_by: HEALTH_RUN.job,
  },
})

// Inactive example: an admin activates it (or copies it) to be mailed when the integration degrades. Notifications
// cannot address a role, so the event names the admin role's users in parm1 ("Event parm 1 contains recipient").
export const healthNotification = EmailNotification({
  $id: Now.ID['health_notification'],
  name: `${APP.name} integration degraded (example)`,
  description: `Example: activate it to mail the ${APP_ROLES.admin} users when the health monitor records a worse run.`,
  table: HEALTH_RUN.table,
  active: false,
  triggerConditions: { generationType: 'event', eventName: HEALTH_RUN.event },
  recipientDetails: { eventParm1WithRecipient: true, sendToCreator: true },
  emailContent: {
    subject: `${APP.name} integration degraded`,
    messageHtml: `<p>The ${APP.name} integration health monitor recorded a worse run.</p><p>Failing checks: \${failing_checks}</p><p>\${summary}</p>`,
  },
})
