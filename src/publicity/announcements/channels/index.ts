/** The public channels, one file each; the service asks them by kind. Adding one: a file here, one line below, its kind in PUBLIC_CHANNELS. */
import type { PublicChannelKind } from '../../../plan/types.js';
import type { Db } from '../../../storage/index.js';
import type { SendSms } from '../../status/subscribers.js';
import type { PublicityConfig } from '../config.js';
import type { PublicChannel } from '../types.js';
import { onsiteNoticeChannel } from './onsite-notice.js';
import { smsChannel } from './sms.js';
import { statusPageChannel } from './status-page.js';
import { websiteChannel } from './website.js';
import { wechatOaChannel } from './wechat-oa.js';

export function publicChannels(deps: { db: Db; config: () => PublicityConfig; sendSms: SendSms | null; smsConfigured?: () => boolean }): Map<PublicChannelKind, PublicChannel> {
  const list = [statusPageChannel(), websiteChannel(deps.config), wechatOaChannel(deps.config), smsChannel(deps.db, deps.sendSms, deps.smsConfigured), onsiteNoticeChannel()];
  return new Map(list.map((c) => [c.kind, c]));
}
