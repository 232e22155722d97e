import { z } from 'zod';
import { ACK_LABEL, type IntakeFormat } from '../format.js';
import type { NormalisedSignal } from '../../signals/types.js';
import type { Colour } from '../../shared/colour.js';
import { DEFAULT_COLOUR, mappedColour } from './severity.js';
import { firstText, isoTime, looseString, parseMetricValue } from './values.js';

/**
 * The flat JSON posted by our Zabbix webhook media type (integrations/zabbix/lifeline.js).
 * Every field is a resolved Zabbix macro, sent as a string (numbers are accepted too):
 *
 *   event_id            {EVENT.ID}            required; the PROBLEM event id, also in recovery and update
 *                                             messages — this is the identity (dedupKey)
 *   event_value         {EVENT.VALUE}         required; "1" problem, "0" recovery
 *   event_name          {EVENT.NAME}          required; becomes the summary
 *   event_nseverity     {EVENT.NSEVERITY}     0–5; default colours by number (names can be renamed
 *   event_severity      {EVENT.SEVERITY}      or localised, e.g. "严重"); severityMap may key either
 *   event_source        {EVENT.SOURCE}        0 trigger, 1 discovery, 2 autoregistration, 3 internal
 *   event_update        {EVENT.UPDATE.STATUS} "1" when the message is a problem update
 *   event_update_action {EVENT.UPDATE.ACTION} e.g. "acknowledged, commented"
 *   event_ack           {EVENT.ACK.STATUS}    "Yes" / "No"
 *   event_recovery_id   {EVENT.RECOVERY.ID}   the recovery event's own id (label only, never the identity)
 *   event_opdata        {EVENT.OPDATA}
 *   event_tags          {EVENT.TAGSJSON}      [{"tag":"system","value":"HIS"}] (a JSON string, or the
 *                                             {EVENT.TAGS} form "system:HIS, tier:app", is also read)
 *   timestamp           ISO 8601 with zone, computed by the script from {EVENT.DATE} {EVENT.TIME}
 *                       (or the recovery date/time) in the Zabbix server's time zone
 *   trigger_id          {TRIGGER.ID}
 *   trigger_description {TRIGGER.DESCRIPTION}
 *   host_host           {HOST.HOST}           technical host name → signal host (for mapping rules)
 *   host_name           {HOST.NAME}           visible name
 *   host_ip             {HOST.IP}
 *   host_groups         {TRIGGER.HOSTGROUP.NAME}  "Hospital/HIS, Linux servers" (or an array)
 *   item_key            {ITEM.KEY}            with a numeric or state item_value → metric {name: key, value}
 *   item_name           {ITEM.NAME}
 *   item_value          {ITEM.VALUE}          "97.3 %", a state ("up", "down") or a value-mapped "Down (0)"
 *                                             (read as 0); other units ("1.2 GB") give no metric
 *   zabbix_url          {$ZABBIX.URL}         for the event link
 *
 * Traps handled: Zabbix leaves a macro it cannot resolve as literal text ("{EVENT.RECOVERY.ID}" in a
 * problem message, "*UNKNOWN*" for a missing item value) — such values count as absent.
 * Tags become labels (tag name → value; repeated tags joined by ", "), then the fields above.
 */

export const ZABBIX_SEVERITY_COLOURS: Readonly<Record<string, Colour>> = {
  '0': 'blue',
  '1': 'blue',
  '2': 'yellow',
  '3': 'orange',
  '4': 'red',
  '5': 'red',
  'not classified': 'blue',
  information: 'blue',
  warning: 'yellow',
  average: 'orange',
  high: 'red',
  disaster: 'red',
};

const UNRESOLVED_MACRO = /^\{[^{}\s]+\}$/;

function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && (UNRESOLVED_MACRO.test(value.trim()) || value.trim() === '*UNKNOWN*' || value.trim() === '');
}

/** Drops top-level values that are unresolved macros or empty, so they read as "absent". */
function dropUnresolved(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => !isUnresolved(v)));
}

/** {EVENT.TAGS} text form: "system:HIS, tier:app, maintenance". */
function parseTagText(text: string): Array<{ tag: string; value: string }> {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as Array<{ tag: string; value: string }>;
    } catch {
      // fall through: not JSON after all
    }
  }
  return trimmed
    .split(/,\s*/)
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      return colon < 0 ? { tag: part, value: '' } : { tag: part.slice(0, colon), value: part.slice(colon + 1) };
    });
}

const tagsSchema = z.preprocess((v) => (typeof v === 'string' ? parseTagText(v) : v), z.array(z.object({ tag: looseString, value: looseString.optional() })));

const optionalText = looseString.optional();

const bodySchema = z.preprocess(
  dropUnresolved,
  z
    .object({
      event_id: looseString,
      event_value: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.enum(['0', '1'])),
      event_name: looseString,
      event_nseverity: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.enum(['0', '1', '2', '3', '4', '5'])).optional(),
      event_severity: optionalText,
      event_source: optionalText,
      event_update: optionalText,
      event_update_action: optionalText,
      event_ack: optionalText,
      event_recovery_id: optionalText,
      event_opdata: optionalText,
      event_tags: tagsSchema.optional(),
      timestamp: optionalText,
      trigger_id: optionalText,
      trigger_description: optionalText,
      host_host: optionalText,
      host_name: optionalText,
      host_ip: optionalText,
      host_groups: z.union([looseString, z.array(z.string())]).optional(),
      item_key: optionalText,
      item_name: optionalText,
      item_value: optionalText,
      zabbix_url: optionalText,
    })
    .superRefine((body, ctx) => {
      if (body.event_nseverity === undefined && body.event_severity === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['event_nseverity'], message: 'Required (or event_severity)' });
      }
    }),
);
export type ZabbixBody = z.infer<typeof bodySchema>;

/** An update that acknowledges the problem ("unacknowledged" does not count). */
function isAcknowledgement(body: ZabbixBody): boolean {
  if (body.event_update !== '1' || body.event_ack?.toLowerCase() !== 'yes') return false;
  return body.event_update_action === undefined || /(^|[^a-z])acknowledged/i.test(body.event_update_action);
}

function zabbixLabels(body: ZabbixBody): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const { tag, value } of body.event_tags ?? []) {
    const previous = Object.hasOwn(labels, tag) ? labels[tag] : undefined;
    labels[tag] = previous !== undefined && previous !== (value ?? '') ? `${previous}, ${value ?? ''}` : (value ?? '');
  }
  const fields: Record<string, string | undefined> = {
    event_id: body.event_id,
    recovery_event_id: body.event_recovery_id,
    trigger_id: body.trigger_id,
    severity: body.event_severity,
    host_name: body.host_name,
    host_ip: body.host_ip,
    host_groups: Array.isArray(body.host_groups) ? body.host_groups.join(', ') : body.host_groups,
    item_key: body.item_key,
    item_name: body.item_name,
    item_value: body.item_value,
    opdata: body.event_opdata,
  };
  if (body.zabbix_url && body.trigger_id) {
    const base = body.zabbix_url.replace(/\/+$/, '');
    fields.event_url = `${base}/tr_events.php?triggerid=${body.trigger_id}&eventid=${body.event_id}`;
  }
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) labels[key] = value;
  if (isAcknowledgement(body)) labels[ACK_LABEL] = 'true';
  return labels;
}

export const zabbix: IntakeFormat<ZabbixBody> = {
  kind: 'zabbix',
  bodySchema,
  toSignals: (body, ctx) => {
    const labels = zabbixLabels(body);
    const name = body.event_severity;
    const number = body.event_nseverity;
    const signal: NormalisedSignal = {
      source: ctx.sourceName,
      severity: mappedColour([name, number], ctx.severityMap) ?? mappedColour([number, name], ZABBIX_SEVERITY_COLOURS) ?? DEFAULT_COLOUR,
      status: body.event_value === '0' ? 'resolved' : 'firing',
      dedupKey: body.event_id,
      summary: body.event_name,
      labels,
    };
    const system = firstText(labels.system);
    const component = firstText(labels.component);
    const host = firstText(body.host_host, body.host_name);
    if (system) signal.system = system;
    if (component) signal.component = component;
    if (host) signal.host = host;
    const at = isoTime(body.timestamp);
    if (at) signal.at = at;
    const value = parseMetricValue(body.item_value);
    if (body.item_key && value !== undefined) signal.metric = { name: body.item_key, value };
    return [signal];
  },
};
