/**
 * One Tencent Cloud API v3 call (SMS SendSms, VMS SendTtsVoice) with the shared TC3 signer and the shared
 * reading of answers: errors come as HTTP 200 `{"Response":{"Error":{"Code","Message"}}}`; rate and
 * frequency limits and internal errors are retryable, everything else (auth, parameters, blacklist,
 * balance) is permanent.
 */
import { z } from 'zod';
import type { Delivery, SendContext } from '../types.js';
import { signTencentCall } from './signing/tencent.js';
import { DRY_RUN, endpointSchema, httpRequest, nowMs, outcomes, vendorOutcome, type HttpReply } from './support.js';

export const tencentCredentialsShape = {
  secretId: z.string().min(1),
  secretKey: z.string().min(1),
  /** `ap-guangzhou` (default), `ap-beijing`, `ap-nanjing`. */
  region: z
    .string()
    .regex(/^[a-z]+-[a-z]+$/)
    .optional(),
  endpoint: endpointSchema.optional(),
};

export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  region?: string;
  endpoint?: string;
}

/** Frequency/quota limits that lift with time, and Tencent-side faults. */
export function isTencentRetryable(code: string): boolean {
  if (/^(RequestLimitExceeded|InternalError)(\.|$)/.test(code)) return true;
  return /^LimitExceeded\./.test(code) && !/Blacklist|PhoneNumberCountLimit/.test(code);
}

export interface TencentCall {
  what: string;
  defaultEndpoint: string;
  service: 'sms' | 'vms';
  action: string;
  version: string;
  /** Serialised once and sent byte-for-byte as signed. */
  body: string;
  /** Reads success/provider reference from `Response` when there is no `Response.Error`. */
  judge(response: Record<string, unknown>): { ok: boolean; code?: string; message?: unknown; providerRef?: string };
}

export async function callTencent(creds: TencentCredentials, call: TencentCall, ctx: SendContext): Promise<Delivery> {
  const out = outcomes([creds.secretKey]);
  const request = signTencentCall({
    endpoint: creds.endpoint ?? call.defaultEndpoint,
    service: call.service,
    action: call.action,
    version: call.version,
    region: creds.region ?? 'ap-guangzhou',
    body: call.body,
    secretId: creds.secretId,
    secretKey: creds.secretKey,
    nowMs: nowMs(ctx),
  });
  if (ctx.dryRun) return DRY_RUN;
  const result = await httpRequest(request, ctx, out, call.what);
  if (!result.ok) return result.delivery;
  return judgeTencent(result.reply, out, call);
}

function judgeTencent(reply: HttpReply, out: ReturnType<typeof outcomes>, call: TencentCall): Delivery {
  const response = (reply.json as { Response?: Record<string, unknown> } | undefined)?.Response;
  const error = response?.Error as { Code?: unknown; Message?: unknown } | undefined;
  const verdict = !response
    ? { ok: false, code: undefined, message: undefined }
    : error
      ? { ok: false, code: typeof error.Code === 'string' ? error.Code : 'UnknownError', message: error.Message }
      : call.judge(response);
  return vendorOutcome(reply, out, call.what, {
    code: verdict.code,
    message: verdict.message,
    ok: verdict.ok,
    retryable: (c) => isTencentRetryable(String(c)),
    providerRef: 'providerRef' in verdict ? verdict.providerRef : undefined,
  });
}
