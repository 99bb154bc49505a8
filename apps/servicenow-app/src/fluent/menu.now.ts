import '@servicenow/sdk/global'
import { ApplicationMenu, Record } from '@servicenow/sdk/core'
import { APP, APP_ROLES, DISCOVERY_SOURCE, PLATFORM_TABLES, TABLES, verifyPath } from '@kandji-sn/contract/constants'
import { adminRole, viewerRole } from './roles.now.ts'

export const kandjiMenu = ApplicationMenu({
  $id: Now.ID['menu_kandji'],
  title: APP.name,
  hint: 'Kandji (Iru Endpoint) devices, imports and integration health',
  description: APP.description,
  roles: [viewerRole, adminRole],
  active: true,
})

// sys_app_module.roles is a comma-separated string column: Role objects would be written as "[object Object]".
export const mdmModule = Record({
  $id: Now.ID['module_mdm'],
  table: 'sys_app_module',
  data: {
    title: 'MDM devices',
    application: kandjiMenu,
    link_type: 'LIST',
    name: TABLES.mdm,
    hint: 'One row per device Kandji reports, linked to its computer CI',
    roles: [APP_ROLES.viewer, APP_ROLES.admin],
    active: true,
    order: 100,
  },
})

export const computersModule = Record({
  $id: Now.ID['module_computers'],
  table: 'sys_app_module',
  data: {
    title: 'Computers from Kandji',
    application: kandjiMenu,
    link_type: 'FILTER',
    name: PLATFORM_TABLES.computer,
    filter: `${DISCOVERY_SOURCE.element}=${DISCOVERY_SOURCE.value}`,
    hint: 'Computer CIs Kandji created (IRE keeps the source that created a CI: every Kandji device, whoever found it first, is in MDM devices)',
    roles: [APP_ROLES.viewer, APP_ROLES.admin],
    active: true,
    order: 200,
  },
})

export const deviceImportsModule = Record({
  $id: Now.ID['module_device_imports'],
  table: 'sys_app_module',
  data: {
    title: 'Device imports',
    application: kandjiMenu,
    link_type: 'LIST',
    name: TABLES.deviceImport,
    hint: 'Rows Iru Endpoint pushed, with their import state and message',
    roles: [APP_ROLES.admin],
    active: true,
    order: 300,
  },
})

export const appImportsModule = Record({
  $id: Now.ID['module_app_imports'],
  table: 'sys_app_module',
  data: {
    title: 'Application imports',
    application: kandjiMenu,
    link_type: 'LIST',
    name: TABLES.appImport,
    hint: 'Application inventory rows (stored only when SAM Pro is active)',
    roles: [APP_ROLES.admin],
    active: true,
    order: 400,
  },
})

export const healthModule = Record({
  $id: Now.ID['module_health'],
  table: 'sys_app_module',
  data: {
    title: 'Integration health',
    application: kandjiMenu,
    link_type: 'DIRECT',
    query: verifyPath,
    window_name: '_blank',
    hint: 'The verification report (JSON) for the configured service account and OAuth client',
    roles: [APP_ROLES.viewer, APP_ROLES.admin],
    active: true,
    order: 500,
  },
})
