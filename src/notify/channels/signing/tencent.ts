/**
 * Tencent Cloud API v3 signing `TC3-HMAC-SHA256` (wire-formats §4.5), as tencentcloud-sdk-nodejs
 * `src/common/sign.ts` does it; shared by SMS (service `sms`) and voice messages (service `vms`).
 */
import { createHash, createHmac } from 'node:crypto';

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export const TC3_CONTENT_TYPE = 'application/json';

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** Product service name in the credential scope: `sms`, `vms`. */
  service: string;
  /** The Host header value actually sent (host[:port]). */
  host: string;
  /** Seconds since the epoch. */
  timestamp: number;
  body: string;
}

export interface Tc3Signed {
  authorization: string;
  signature: string;
  /** UTC `yyyy-MM-dd` of `timestamp`. */
  date: string;
  canonicalRequest: string;
}

export function tc3Sign(input: Tc3Input): Tc3Signed {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = ['POST', '/', '', `content-type:${TC3_CONTENT_TYPE}\nhost:${input.host}\n`, signedHeaders, sha256Hex(input.body)].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const kDate = hmac(`TC3${input.secretKey}`, date);
  const kService = hmac(kDate, input.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    date,
    canonicalRequest,
    signature,
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

export interface TencentCall {
  endpoint: string;
  service: string;
  action: string;
  version: string;
  region: string;
  body: string;
  secretId: string;
  secretKey: string;
  nowMs: number;
}

/** The signed POST for one API call; the JSON body is sent byte-for-byte as signed. */
export function signTencentCall(call: TencentCall): { url: string; method: 'POST'; headers: Record<string, string>; body: string } {
  const base = new URL(call.endpoint);
  const timestamp = Math.floor(call.nowMs / 1000);
  const signed = tc3Sign({
    secretId: call.secretId,
    secretKey: call.secretKey,
    service: call.service,
    host: base.host,
    timestamp,
    body: call.body,
  });
  return {
    url: `${base.origin}/`,
    method: 'POST',
    headers: {
      Authorization: signed.authorization,
      'Content-Type': TC3_CONTENT_TYPE,
      'X-TC-Action': call.action,
      'X-TC-Version': call.version,
      'X-TC-Region': call.region,
      'X-TC-Timestamp': String(timestamp),
      'X-TC-Language': 'zh-CN',
    },
    body: call.body,
  };
}
