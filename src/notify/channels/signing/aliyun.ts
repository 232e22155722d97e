/**
 * Alibaba Cloud RPC-style API signing (wire-formats §4.4), shared by SMS (dysmsapi) and voice (dyvmsapi).
 * Two schemes, both checked against the official vectors in signing.test.ts:
 *  - v3 `ACS3-HMAC-SHA256` (default): business parameters in the query string, empty body, signed headers;
 *  - v1 `HMAC-SHA1`: every parameter (common + business) in a form body with a `Signature` field.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';

export type AliyunSignatureVersion = 'v3' | 'v1';

/** RFC 3986 percent-encoding as Alibaba requires: also `!*'()`, space as %20, `~` kept. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Keys sorted, keys and values percent-encoded, joined with `&`. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join('&');
}

/** `yyyy-MM-ddTHH:mm:ssZ` in UTC, as both schemes require. */
export function aliyunTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

/** v1: base64(HMAC-SHA1(key = secret + "&", METHOD + "&" + pe("/") + "&" + pe(canonicalQuery))). */
export function rpcV1Signature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

export interface Acs3Input {
  method: 'GET' | 'POST';
  host: string;
  path: string;
  query: Record<string, string>;
  body: string;
  action: string;
  version: string;
  /** `yyyy-MM-ddTHH:mm:ssZ` */
  date: string;
  nonce: string;
  accessKeyId: string;
  accessKeySecret: string;
}

export interface Acs3Signed {
  /** Headers to send, `Authorization` included. */
  headers: Record<string, string>;
  canonicalRequest: string;
  signature: string;
}

/** v3 `ACS3-HMAC-SHA256` over the lower-cased, sorted `host` and `x-acs-*` headers. */
export function acs3Sign(input: Acs3Input): Acs3Signed {
  const contentSha = sha256Hex(input.body);
  const signed: Record<string, string> = {
    host: input.host,
    'x-acs-action': input.action,
    'x-acs-content-sha256': contentSha,
    'x-acs-date': input.date,
    'x-acs-signature-nonce': input.nonce,
    'x-acs-version': input.version,
  };
  const names = Object.keys(signed).sort();
  const canonicalHeaders = names.map((n) => `${n}:${signed[n].trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [input.method, input.path, canonicalQuery(input.query), canonicalHeaders, signedHeaders, contentSha].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', input.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  const { host: _host, ...sendable } = signed;
  return {
    canonicalRequest,
    signature,
    headers: {
      ...sendable,
      Authorization: `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
    },
  };
}

export interface AliyunRpcCall {
  endpoint: string;
  action: string;
  version: string;
  params: Record<string, string>;
  accessKeyId: string;
  accessKeySecret: string;
  signatureVersion: AliyunSignatureVersion;
  nowMs: number;
  /** Fixed nonce for reproducible tests; random otherwise. */
  nonce?: string;
}

export interface SignedRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** Builds the signed POST for one RPC call (`endpoint` is the base URL, the path is `/`). */
export function signAliyunRpc(call: AliyunRpcCall): SignedRequest {
  const base = new URL(call.endpoint);
  const root = `${base.origin}/`;
  if (call.signatureVersion === 'v1') {
    const params: Record<string, string> = {
      ...call.params,
      AccessKeyId: call.accessKeyId,
      Action: call.action,
      Format: 'JSON',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: call.nonce ?? randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: aliyunTimestamp(call.nowMs),
      Version: call.version,
    };
    const signature = rpcV1Signature('POST', params, call.accessKeySecret);
    return {
      url: root,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: `${canonicalQuery(params)}&Signature=${percentEncode(signature)}`,
    };
  }
  const signed = acs3Sign({
    method: 'POST',
    host: base.host,
    path: '/',
    query: call.params,
    body: '',
    action: call.action,
    version: call.version,
    date: aliyunTimestamp(call.nowMs),
    nonce: call.nonce ?? randomBytes(16).toString('hex'),
    accessKeyId: call.accessKeyId,
    accessKeySecret: call.accessKeySecret,
  });
  const query = canonicalQuery(call.params);
  return {
    url: query ? `${root}?${query}` : root,
    method: 'POST',
    headers: { ...signed.headers, Accept: 'application/json' },
    body: '',
  };
}
