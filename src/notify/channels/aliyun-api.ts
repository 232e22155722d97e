/**
 * One Alibaba Cloud RPC call (SendSms, SingleCallByTts) with the shared signer and the shared reading of
 * answers: `Code == "OK"` is success; flow-control and throttling codes are retryable; anything else
 * (bad signature, unknown key, template/sign/number problems, no balance) is permanent.
 */
import { z } from 'zod';
import type { Delivery, SendContext } from '../types.js';
import { signAliyunRpc, type AliyunSignatureVersion } from './signing/aliyun.js';
import { DRY_RUN, endpointSchema, httpRequest, nowMs, outcomes, vendorOutcome } from './support.js';

/** Credentials and signing options shared by every Aliyun channel config. */
export const aliyunCredentialsShape = {
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  /** `v3` = ACS3-HMAC-SHA256 (default), `v1` = HMAC-SHA1 RPC signature. */
  signatureVersion: z.enum(['v3', 'v1']).optional(),
  endpoint: endpointSchema.optional(),
};

export interface AliyunCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  signatureVersion?: AliyunSignatureVersion;
  endpoint?: string;
}

const RETRYABLE_CODES = /^(isv\.BUSINESS_LIMIT_CONTROL|isv\.DAY_LIMIT_CONTROL|Throttling(\..*)?|ServiceUnavailable|InternalError|isp\.SYSTEM_ERROR|isp\.RAM_PERMISSION_DENY_TEMP|SignatureNonceUsed)$/;

export interface AliyunCall {
  what: string;
  defaultEndpoint: string;
  action: string;
  version: string;
  params: Record<string, string>;
  /** The response field carrying the provider's id for the delivery (`BizId`, `CallId`). */
  refField: string;
}

export async function callAliyun(creds: AliyunCredentials, call: AliyunCall, ctx: SendContext): Promise<Delivery> {
  const out = outcomes([creds.accessKeySecret]);
  const request = signAliyunRpc({
    endpoint: creds.endpoint ?? call.defaultEndpoint,
    action: call.action,
    version: call.version,
    params: call.params,
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    signatureVersion: creds.signatureVersion ?? 'v3',
    nowMs: nowMs(ctx),
  });
  if (ctx.dryRun) return DRY_RUN;
  const result = await httpRequest(request, ctx, out, call.what);
  if (!result.ok) return result.delivery;
  const json = result.reply.json as Record<string, unknown> | undefined;
  const code = typeof json?.Code === 'string' ? json.Code : undefined;
  const ref = json?.[call.refField];
  return vendorOutcome(result.reply, out, call.what, {
    code,
    message: json?.Message,
    ok: code === 'OK',
    retryable: (c) => RETRYABLE_CODES.test(String(c)),
    providerRef: typeof ref === 'string' || typeof ref === 'number' ? ref : undefined,
  });
}

/** Aliyun numbers: 11-digit mainland numbers; others as country code + number, without `+`. */
export function aliyunPhone(e164OrMainland: string): string {
  return e164OrMainland.startsWith('+86') ? e164OrMainland.slice(3) : e164OrMainland.replace(/^\+/, '');
}
