/**
 * What the browser's channel form asks for each channel kind: the fields of that kind's notify.yaml `config`, which
 * of them are secrets (stored sealed, never answered back), and the input each takes. Values are checked with the
 * kind's own schema (src/notify/channels), so a channel set up in the browser is exactly as valid as one in the file.
 */
import type { NotifierKind } from './channels/index.js';

export type ChannelFieldInput = 'text' | 'secret' | 'number' | 'url' | 'select' | 'textarea' | 'list';

export interface ChannelField {
  name: string;
  input: ChannelFieldInput;
  required: boolean;
  /** `select`: the allowed values */
  options?: string[];
}

const f = (name: string, input: ChannelFieldInput, required = false, options?: string[]): ChannelField => ({ name, input, required, ...(options ? { options } : {}) });
const endpoint = f('endpoint', 'url');

/** The form of each kind, in the order the form shows them. */
export const CHANNEL_FORMS: Record<NotifierKind, ChannelField[]> = {
  'wecom-robot': [f('key', 'secret', true), f('msgtype', 'select', false, ['text', 'markdown']), endpoint],
  'wecom-app': [f('corpId', 'text', true), f('corpSecret', 'secret', true), f('agentId', 'number', true), f('msgtype', 'select', false, ['text', 'markdown', 'textcard']), endpoint],
  'dingtalk-robot': [f('accessToken', 'secret', true), f('secret', 'secret'), f('msgtype', 'select', false, ['markdown', 'text']), f('message', 'select', false, ['actionCard']), endpoint],
  'feishu-bot': [f('token', 'secret', true), f('secret', 'secret'), f('msgType', 'select', false, ['interactive', 'text']), endpoint],
  'sms-aliyun': [
    f('accessKeyId', 'text', true),
    f('accessKeySecret', 'secret', true),
    f('signName', 'text', true),
    f('templateCode', 'text', true),
    f('drillTemplateCode', 'text'),
    f('signatureVersion', 'select', false, ['v3', 'v1']),
    endpoint,
  ],
  'sms-tencent': [
    f('secretId', 'text', true),
    f('secretKey', 'secret', true),
    f('smsSdkAppId', 'text', true),
    f('templateId', 'text', true),
    f('drillTemplateId', 'text'),
    f('signName', 'text', true),
    f('region', 'text'),
    f('paramOrder', 'list'),
    endpoint,
  ],
  'voice-aliyun': [
    f('accessKeyId', 'text', true),
    f('accessKeySecret', 'secret', true),
    f('ttsCode', 'text', true),
    f('drillTtsCode', 'text'),
    f('calledShowNumber', 'text'),
    f('playTimes', 'number'),
    f('signatureVersion', 'select', false, ['v3', 'v1']),
    endpoint,
  ],
  'voice-tencent': [
    f('secretId', 'text', true),
    f('secretKey', 'secret', true),
    f('voiceSdkAppId', 'text', true),
    f('templateId', 'text', true),
    f('drillTemplateId', 'text'),
    f('playTimes', 'number'),
    f('region', 'text'),
    f('paramOrder', 'list'),
    endpoint,
  ],
  email: [
    f('host', 'text', true),
    f('port', 'number'),
    f('security', 'select', false, ['starttls', 'tls', 'none']),
    f('from', 'text', true),
    f('user', 'text'),
    f('pass', 'secret'),
    f('caPem', 'textarea'),
  ],
  webhook: [f('url', 'url', true), f('secret', 'secret')],
};

export const channelForm = (kind: string): ChannelField[] | undefined => CHANNEL_FORMS[kind as NotifierKind];
