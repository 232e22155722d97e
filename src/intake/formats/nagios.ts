import { z } from 'zod';
import { ACK_LABEL, type IntakeFormat } from '../format.js';
import type { NormalisedSignal } from '../../signals/types.js';
import type { Colour } from '../../shared/colour.js';
import { resolveColour } from './severity.js';
import { MAX_UNIX_SECONDS, firstText, looseString, unixSecondsToIso } from './values.js';

/**
 * The JSON posted by integrations/nagios/lifeline-notify (Nagios 4, Icinga 2, Naemon). Field ← macro:
 *
 *   notification_type  $NOTIFICATIONTYPE$ / $notification.type$   required; PROBLEM, RECOVERY,
 *                      ACKNOWLEDGEMENT, FLAPPINGSTART, FLAPPINGSTOP/END, DOWNTIMESTART, DOWNTIMEEND,
 *                      DOWNTIMECANCELLED/REMOVED, CUSTOM (case-insensitive)
 *   host               $HOSTNAME$ / $host.name$                  required
 *   host_display_name  $HOSTALIAS$ / $host.display_name$
 *   host_address       $HOSTADDRESS$ / $address$
 *   host_state         $HOSTSTATE$          UP / DOWN / UNREACHABLE (required for host notifications)
 *   host_output        $HOSTOUTPUT$
 *   service            $SERVICEDESC$ / $service.name$   absent for host notifications
 *   service_display_name  $service.display_name$
 *   service_state      $SERVICESTATE$       OK / WARNING / CRITICAL / UNKNOWN (required with service)
 *   service_output     $SERVICEOUTPUT$
 *   long_output        $LONGSERVICEOUTPUT$ / $LONGHOSTOUTPUT$
 *   last_state         $LASTSERVICESTATE$ / $LASTHOSTSTATE$  colours a RECOVERY like the problem it ends
 *   problem_id         $SERVICEPROBLEMID$ / $HOSTPROBLEMID$ (label only)
 *   author, comment    $NOTIFICATIONAUTHOR$, $NOTIFICATIONCOMMENT$
 *   system, component  custom variables _SYSTEM / _COMPONENT (Icinga: vars.system / vars.component)
 *   long_date_time     $LONGDATETIME$ (label only: it has no reliable zone)
 *   timestamp          $TIMET$ / $icinga.timet$, Unix seconds → signal time (0 or absent: reception time; past year 9999: 400)
 *   monitor            "nagios" / "icinga2"
 *
 * Identity = "host!service" (Icinga's object name) or "host". RECOVERY resolves, PROBLEM and
 * FLAPPINGSTART fire; other types follow the state (OK/UP resolves). ACKNOWLEDGEMENT carries ACK_LABEL.
 */

export const NAGIOS_STATE_COLOURS: Readonly<Record<string, Colour>> = {
  DOWN: 'red',
  UNREACHABLE: 'orange',
  UP: 'blue',
  CRITICAL: 'red',
  WARNING: 'orange',
  UNKNOWN: 'yellow',
  OK: 'blue',
};

const upper = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : v);
const hostState = z.preprocess(upper, z.enum(['UP', 'DOWN', 'UNREACHABLE']));
const serviceState = z.preprocess(upper, z.enum(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']));
/** Empty strings (unset macros) read as absent. */
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const bodySchema = z
  .object({
    notification_type: z.preprocess(upper, z.string().min(1)),
    host: z.string().trim().min(1),
    host_display_name: optional(z.string()),
    host_address: optional(z.string()),
    host_state: optional(hostState),
    host_output: optional(z.string()),
    service: optional(z.string()),
    service_display_name: optional(z.string()),
    service_state: optional(serviceState),
    service_output: optional(z.string()),
    long_output: optional(z.string()),
    last_state: optional(z.preprocess(upper, z.string())),
    problem_id: optional(looseString),
    author: optional(z.string()),
    comment: optional(z.string()),
    system: optional(z.string()),
    component: optional(z.string()),
    long_date_time: optional(z.string()),
    timestamp: optional(
      z
        .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'must be Unix seconds')])
        .refine((t) => (typeof t === 'number' ? t : /^\d+(\.\d+)?$/.test(t) ? Number(t) : 0) <= MAX_UNIX_SECONDS, { message: `must be Unix seconds between 0 and ${MAX_UNIX_SECONDS} (year 9999)` }),
    ),
    monitor: optional(z.string()),
  })
  .superRefine((body, ctx) => {
    if (body.service !== undefined && body.service_state === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['service_state'], message: 'Required for a service notification' });
    }
    if (body.service === undefined && body.host_state === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['host_state'], message: 'Required for a host notification' });
    }
  });
export type NagiosBody = z.infer<typeof bodySchema>;

const OK_STATES = new Set(['OK', 'UP']);

function statusOf(type: string, state: string): NormalisedSignal['status'] {
  if (type === 'RECOVERY') return 'resolved';
  if (type === 'PROBLEM' || type === 'FLAPPINGSTART') return 'firing';
  return OK_STATES.has(state) ? 'resolved' : 'firing';
}

export const nagios: IntakeFormat<NagiosBody> = {
  kind: 'nagios',
  bodySchema,
  toSignals: (body, ctx) => {
    const type = body.notification_type;
    const isService = body.service !== undefined;
    const state = (isService ? body.service_state : body.host_state) ?? 'UNKNOWN';
    const status = statusOf(type, state);
    // A recovery is coloured like the problem it ends; flapping while OK is at least a yellow.
    const colourState = status === 'resolved' && body.last_state && !OK_STATES.has(body.last_state) ? body.last_state : state;
    const flappingWhileOk = type === 'FLAPPINGSTART' && OK_STATES.has(state);
    const severity: Colour = flappingWhileOk ? 'yellow' : resolveColour([colourState], NAGIOS_STATE_COLOURS, ctx, 'blue');

    const hostLabel = body.host_display_name ?? body.host;
    const what = isService ? `${body.service_display_name ?? body.service} on ${hostLabel}` : hostLabel;
    const output = firstText(isService ? body.service_output : body.host_output);
    const labels: Record<string, string> = { notification_type: type };
    const extra: Record<string, string | undefined> = {
      host_state: body.host_state,
      service_state: body.service_state,
      last_state: body.last_state,
      host_address: body.host_address,
      host_display_name: body.host_display_name,
      service_display_name: body.service_display_name,
      problem_id: body.problem_id,
      author: body.author,
      comment: body.comment,
      output,
      long_output: body.long_output,
      long_date_time: body.long_date_time,
      monitor: body.monitor,
    };
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) labels[key] = value;
    if (type === 'ACKNOWLEDGEMENT') labels[ACK_LABEL] = 'true';

    const signal: NormalisedSignal = {
      source: ctx.sourceName,
      severity,
      status,
      dedupKey: isService ? `${body.host}!${body.service}` : body.host,
      // Plugin output normally starts with the state ("CRITICAL - …"); otherwise name the state.
      summary: output?.startsWith(state) ? `${what}: ${output}` : `${what} ${state}${output ? `: ${output}` : ''}`,
      labels,
      host: body.host,
    };
    if (body.system) signal.system = body.system;
    if (body.component) signal.component = body.component;
    const at = unixSecondsToIso(body.timestamp);
    if (at) signal.at = at;
    return [signal];
  },
};
