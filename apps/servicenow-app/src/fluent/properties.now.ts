import '@servicenow/sdk/global'
import { Property } from '@servicenow/sdk/core'
import { APP_PROPERTIES, APP_SETTINGS, HEALTH_SETTING_DEFAULTS, OAUTH_CLIENT, SERVICE_ACCOUNT } from '@kandji-sn/contract/constants'
import { adminRole, viewerRole } from './roles.now.ts'

export const serviceAccountProperty = Property({
  $id: Now.ID['property_service_account'],
  name: APP_PROPERTIES.serviceAccount,
  type: 'string',
  value: SERVICE_ACCOUNT.defaultUserName,
  description: 'User name of the account Iru Endpoint logs in as; GET verify checks this account.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const oauthClientProperty = Property({
  $id: Now.ID['property_oauth_client'],
  name: APP_PROPERTIES.oauthClient,
  type: 'string',
  value: OAUTH_CLIENT.defaultName,
  description: 'Name of the OAuth client (Application Registry) Iru Endpoint uses; GET verify checks this client.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const healthIntervalMinutesProperty = Property({
  $id: Now.ID['property_health_interval'],
  name: APP_SETTINGS.healthIntervalMinutes,
  type: 'integer',
  value: HEALTH_SETTING_DEFAULTS.healthIntervalMinutes.value,
  description: 'Minutes between health monitor runs (the job wakes every 5 minutes and runs once this long has passed since the last run).',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const healthRetentionDaysProperty = Property({
  $id: Now.ID['property_health_retention'],
  name: APP_SETTINGS.healthRetentionDays,
  type: 'integer',
  value: HEALTH_SETTING_DEFAULTS.healthRetentionDays.value,
  description: 'Days a health run is kept; older runs are deleted by the health monitor.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const maxPushAgeHoursProperty = Property({
  $id: Now.ID['property_health_max_push_age'],
  name: APP_SETTINGS.maxPushAgeHours,
  type: 'integer',
  value: HEALTH_SETTING_DEFAULTS.maxPushAgeHours.value,
  description: 'Hours without a row from Iru Endpoint after which push_recency fails (verify and the health monitor).',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const errorRateRowsProperty = Property({
  $id: Now.ID['property_health_error_rate_rows'],
  name: APP_SETTINGS.errorRateRows,
  type: 'integer',
  value: HEALTH_SETTING_DEFAULTS.errorRateRows.value,
  description: 'How many of the latest pushed rows push_errors judges.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const maxErrorRatePercentProperty = Property({
  $id: Now.ID['property_health_max_error_rate'],
  name: APP_SETTINGS.maxErrorRatePercent,
  type: 'integer',
  value: HEALTH_SETTING_DEFAULTS.maxErrorRatePercent.value,
  description: 'Percent of the latest pushed rows that may fail to transform before push_errors fails.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const maxPendingMinutesProperty = Property({
  $id: Now.ID['property_health_max_pending'],
  name: APP_SETTINGS.maxPendingMinutes,
  type: 'integer',
  value: HEALTH_SETTING_DEFAULTS.maxPendingMinutes.value,
  description: 'Minutes a pushed row may wait in pending before push_pending fails.',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})

export const pushIntervalHoursProperty = Property({
  $id: Now.ID['property_push_interval'],
  name: APP_SETTINGS.pushIntervalHours,
  type: 'integer',
  value: HEALTH_SETTING_DEFAULTS.pushIntervalHours.value,
  description: 'Hours between Iru Endpoint pushes; the refresh tokens of the OAuth client must live at least this long (push_token_lifespan).',
  roles: { read: [viewerRole, adminRole], write: [adminRole] },
})
