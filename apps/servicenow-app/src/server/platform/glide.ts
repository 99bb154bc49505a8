// The only module that binds the app's logic to the real Glide API. Entry modules (src/server/entry/**) call
// glidePlatform() and hand the result to the logic; nothing else imports '@servicenow/glide' values.
import { gs, GlideRecord, GlideAggregate, GlideDateTime, GlidePluginManager } from '@servicenow/glide'
import { IdentificationEngine } from '@servicenow/glide/sn_cmdb'
import type { AggregateLike, Platform, RecordLike } from './types.ts'

export function glidePlatform(): Platform {
  return {
    // The typed GlideRecord narrows field names per table; the logic addresses fields by contract strings.
    record: (table) => new GlideRecord(table) as unknown as RecordLike,
    aggregate: (table) => new GlideAggregate(table) as unknown as AggregateLike,
    property: (name, fallback) => gs.getProperty(name, fallback),
    isPluginActive: (pluginId) => GlidePluginManager.isActive(pluginId),
    tableExists: (table) => new GlideRecord(table).isValid(),
    createOrUpdateCI: (source, payloadJson) => IdentificationEngine.createOrUpdateCI(source, payloadJson),
    nowUtc: () => new GlideDateTime().getValue(),
    daysAgoUtc: (days) => gs.daysAgo(days),
    // The record is a GlideRecord from record() above: hand it back as the platform's own object.
    eventQueue: (name, record, parm1, parm2) => gs.eventQueue(name, record as unknown as GlideRecord, parm1, parm2),
    info: (message) => gs.info(message),
    warn: (message) => gs.warn(message),
    error: (message) => gs.error(message),
  }
}
