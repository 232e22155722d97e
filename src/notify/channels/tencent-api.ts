/**
 * One Tencent Cloud API v3 call (SMS SendSms, VMS SendTtsVoice) with the shared TC3 signer and the shared
 * reading of answers: errors come as HTTP 200 `{"Response":{"Error":{"Code","Message"}}}` (or per number in
 * `SendStatusSet[].Code`), judged by `TENCENT_ANSWERS`.
 */
import { z } from 'zod';
import type { Delivery, SendContext } from '../types.js';
import { signTencentCall } from './signing/tencent.js';
import { type AnswerTable, DRY_RUN, endpointSchema, httpRequest, nowMs, outcomes, vendorOutcome, type HttpReply } from './support.js';

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

/**
 * Tencent's answers for SMS and voice (SMS: https://cloud.tencent.com/document/product/382/55981 (SendSms error
 * codes) and https://cloud.tencent.com/document/api/382/52075 (common codes); VMS:
 * https://cloud.tencent.com/document/product/1128/51555). Any daily limit (`…DailyLimit`) fails over: it lifts at
 * midnight; the 30-second and one-hour limits and API frequency limits are retried. Codes not listed fail
 * over, unless the HTTP status is 5xx/429.
 */
export const TENCENT_ANSWERS: AnswerTable = [
  { code: /^LimitExceeded\..*DailyLimit$/, verdict: 'fail-over', why: 'daily limit reached' },
  { code: /^LimitExceeded\.(PhoneNumberCountLimit|.*Blacklist)$/, verdict: 'fail-over', why: 'number refused' },
  { code: /^LimitExceeded\./, verdict: 'retry', why: 'rate limited (seconds to an hour)' },
  { code: /^RequestLimitExceeded(\.|$)/, verdict: 'retry', why: 'API frequency limit' },
  { code: /^InternalError\.(SigFieldMissing|SigVerificationFail|SecretIdNotFound)$/, verdict: 'fail-over', why: 'credentials or signature rejected' },
  { code: /^(InternalError|ResourceUnavailable\.ServiceBusy)(\.|$)/, verdict: 'retry', why: 'Tencent busy or internal error' },
  { code: /^(AuthFailure|UnauthorizedOperation)(\.|$)/, verdict: 'fail-over', why: 'credentials or signature rejected' },
  { code: /^FailedOperation\.(PhoneNumberInBlacklist|PhoneNumberParseFail|ContainDomesticAndInternationalPhoneNumber)$/, verdict: 'fail-over', why: 'unknown or blocked recipient' },
  {
    code: /^FailedOperation\.(TemplateIncorrectOrUnapproved|SignatureIncorrectOrUnapproved|MissingTemplateToModify|MissingSignature.*)$/,
    verdict: 'fail-over',
    why: 'template or signature not approved',
  },
  { code: /^FailedOperation\.InsufficientBalanceInSmsPackage$/, verdict: 'fail-over', why: 'no SMS balance' },
  { code: /^(InvalidParameter|InvalidParameterValue|MissingParameter|UnsupportedOperation)(\.|$)/, verdict: 'fail-over', why: 'malformed request' },
];

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
    table: TENCENT_ANSWERS,
    providerRef: 'providerRef' in verdict ? verdict.providerRef : undefined,
  });
}
