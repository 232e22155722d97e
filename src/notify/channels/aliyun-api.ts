/**
 * One Alibaba Cloud RPC call (SendSms, SingleCallByTts) with the shared signer and the shared reading of
 * answers: `Code == "OK"` is success; the rest is judged by `ALIYUN_ANSWERS`.
 */
import { z } from 'zod';
import type { Delivery, SendContext } from '../types.js';
import { signAliyunRpc, type AliyunSignatureVersion } from './signing/aliyun.js';
import { type AnswerTable, DRY_RUN, endpointSchema, httpRequest, nowMs, outcomes, vendorOutcome } from './support.js';

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

/**
 * Aliyun's answers for SMS and voice (SMS: https://help.aliyun.com/zh/sms/developer-reference/api-error-codes ;
 * voice: https://help.aliyun.com/zh/vms/developer-reference/api-error-codes ; flow control per number:
 * https://help.aliyun.com/zh/sms/user-guide/set-sending-frequency-limits). `isv.BUSINESS_LIMIT_CONTROL` is the
 * minute, hour and day flow control alike; its message says which (触发分钟级流控 / 小时级 / 天级). Codes not
 * listed fail over, unless the HTTP status is 5xx/429.
 */
export const ALIYUN_ANSWERS: AnswerTable = [
  { code: 'isv.DAY_LIMIT_CONTROL', verdict: 'fail-over', why: 'daily limit reached' },
  { code: 'isv.BUSINESS_LIMIT_CONTROL', when: (m) => /天级|日级|day|daily/i.test(m), verdict: 'fail-over', why: 'daily flow control reached' },
  { code: 'isv.BUSINESS_LIMIT_CONTROL', verdict: 'retry', why: 'minute or hour flow control' },
  { code: /^(Throttling(\..*)?|ServiceUnavailable|InternalError|isp\.SYSTEM_ERROR|isp\.RAM_PERMISSION_DENY_TEMP)$/, verdict: 'retry', why: 'throttled or busy' },
  { code: 'SignatureNonceUsed', verdict: 'retry', why: 'nonce reused (a new one is sent)' },
  {
    code: /^(SignatureDoesNotMatch|IncompleteSignature|InvalidAccessKeyId(\..*)?|InvalidTimeStamp\..*|Forbidden\.RAM|isp\.RAM_PERMISSION_DENY)$/,
    verdict: 'fail-over',
    why: 'credentials or signature rejected',
  },
  { code: /^isv\.(MOBILE_NUMBER_ILLEGAL|BLACK_KEY_CONTROL_LIMIT|MOBILE_IN_BLACK)$/, verdict: 'fail-over', why: 'unknown or blocked recipient' },
  { code: /^isv\.(SMS_TEMPLATE_ILLEGAL|SMS_SIGNATURE_ILLEGAL|TEMPLATE_MISSING_PARAMETERS|SMS_SIGN_ILLEGAL|TTS_TEMPLATE_ILLEGAL)$/, verdict: 'fail-over', why: 'template or signature not approved' },
  { code: /^isv\.(AMOUNT_NOT_ENOUGH|OUT_OF_SERVICE|ACCOUNT_NOT_EXISTS|ACCOUNT_ABNORMAL)$/, verdict: 'fail-over', why: 'account cannot send' },
  {
    code: /^(isv\.(PARAM_NOT_SUPPORT_URL|INVALID_PARAMETERS|INVALID_JSON_PARAM|PARAM_LENGTH_LIMIT|MOBILE_COUNT_OVER_LIMIT)|MissingParameter|InvalidParameter.*)$/,
    verdict: 'fail-over',
    why: 'malformed request',
  },
];

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
    table: ALIYUN_ANSWERS,
    providerRef: typeof ref === 'string' || typeof ref === 'number' ? ref : undefined,
  });
}

/** Aliyun numbers: 11-digit mainland numbers; others as country code + number, without `+`. */
export function aliyunPhone(e164OrMainland: string): string {
  return e164OrMainland.startsWith('+86') ? e164OrMainland.slice(3) : e164OrMainland.replace(/^\+/, '');
}
