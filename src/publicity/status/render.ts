/**
 * The public status page as one self-contained HTML document (no external assets, readable without JavaScript):
 * phone first, large type, one row per patient service with 可用 / 受影响 / 暂停 and what to do instead, the
 * expected recovery time, the announcements newest first, the feedback and SMS forms. A tiny inline script only
 * makes the two forms answer in place; without it they post as plain forms. Pure.
 */
import { createHash } from 'node:crypto';
import { localParts } from '../../people/zoned.js';
import type { PublicText, ServiceState, StatusDocument } from './types.js';

export type Lang = 'zh' | 'en';

export interface PageLinks {
  /** The page in Chinese and in English, and the JSON (relative or absolute). */
  zh: string;
  en: string;
  json: string;
  /** Where the forms post (absolute for an exported copy, which lives on another host). */
  api: string;
}

const L = {
  zh: {
    lang: 'zh-CN',
    colon: '：',
    states: { normal: '可用', degraded: '受影响', down: '暂停', recovering: '恢复中' } satisfies Record<ServiceState, string>,
    overall: { normal: '各项就医服务运行正常', degraded: '部分服务受影响，请按下方提示办理', down: '部分服务暂停，请按下方提示办理', recovering: '系统正在恢复，部分服务可能较慢' },
    instead: '可以这样办：',
    recovery: '预计恢复时间',
    noEstimate: '正在抢修，恢复后将另行通知',
    announcements: '医院公告',
    noAnnouncements: '暂无公告',
    updated: '更新时间（北京时间）',
    contact: '咨询电话',
    feedback: '意见反馈',
    feedbackHint: '遇到困难请告诉我们（请勿填写病情等隐私信息）',
    message: '您的留言',
    service: '涉及的服务（可不选）',
    anyService: '不确定 / 其他',
    contactField: '联系电话或邮箱（可不填）',
    send: '提交',
    sms: '短信通知',
    smsHint: '服务恢复或有新公告时，发短信告诉您',
    phone: '手机号码',
    code: '短信验证码',
    getCode: '获取验证码',
    confirm: '确认订阅',
    unsubscribe: '退订',
    json: '数据（JSON）',
    switchTo: 'English',
    sent: '已提交，谢谢。',
    failed: '提交失败，请稍后再试。',
    codeSent: '验证码已发送，请查收短信。',
    subscribed: '订阅成功。',
    unsubscribed: '已退订。',
  },
  en: {
    lang: 'en',
    colon: ': ',
    states: { normal: 'Available', degraded: 'Affected', down: 'Suspended', recovering: 'Recovering' } satisfies Record<ServiceState, string>,
    overall: {
      normal: 'All hospital services are running normally',
      degraded: 'Some services are affected; see below what to do',
      down: 'Some services are suspended; see below what to do',
      recovering: 'Systems are recovering; some services may be slow',
    },
    instead: 'What to do instead:',
    recovery: 'Expected recovery',
    noEstimate: 'Repairs are under way; we will tell you when services are back',
    announcements: 'Hospital announcements',
    noAnnouncements: 'No announcements',
    updated: 'Last updated (Beijing time)',
    contact: 'Enquiries',
    feedback: 'Feedback',
    feedbackHint: 'Tell us if you have a problem (please do not write medical details)',
    message: 'Your message',
    service: 'Which service (optional)',
    anyService: 'Not sure / other',
    contactField: 'Phone or email (optional)',
    send: 'Send',
    sms: 'SMS updates',
    smsHint: 'We text you when services are back or there is a new announcement',
    phone: 'Mobile number',
    code: 'Code from the SMS',
    getCode: 'Get code',
    confirm: 'Subscribe',
    unsubscribe: 'Unsubscribe',
    json: 'Data (JSON)',
    switchTo: '中文',
    sent: 'Sent. Thank you.',
    failed: 'Could not send; please try again later.',
    codeSent: 'The code is on its way by SMS.',
    subscribed: 'You are subscribed.',
    unsubscribed: 'You are unsubscribed.',
  },
} as const;

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]);
const pick = (t: PublicText | { zh: string; en: string }, lang: Lang) => (lang === 'en' && t.en ? t.en : t.zh);

/** `2026-03-02 09:00` in the hospital's zone. */
export function localTime(isoOrMs: string | number, timezone: string): string {
  const p = localParts(typeof isoOrMs === 'number' ? isoOrMs : Date.parse(isoOrMs), timezone);
  return `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

const CSS = `*{box-sizing:border-box}body{margin:0;font:18px/1.6 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f1f1f;background:#f5f6f8;overflow-wrap:anywhere}
main{max-width:720px;margin:0 auto;padding:12px}header{display:flex;justify-content:space-between;align-items:flex-start;gap:8px}
h1{font-size:24px;margin:8px 0}h2{font-size:20px;margin:20px 0 8px}a{color:#0b57d0}.switch{white-space:nowrap;padding:8px 0;font-size:18px}
.banner{border-radius:10px;padding:14px;font-size:20px;font-weight:600;margin:8px 0}.b-normal{background:#e6f4ea;color:#0d652d}.b-degraded,.b-recovering{background:#fff4e5;color:#8a4b00}.b-down{background:#fde7e9;color:#a50e0e}
.eta{background:#fff;border-radius:10px;padding:12px;margin:8px 0}.svc{background:#fff;border-radius:10px;padding:12px;margin:8px 0;border-left:6px solid #34a853}
.svc.s-degraded,.svc.s-recovering{border-left-color:#f29900}.svc.s-down{border-left-color:#d93025}.row{display:flex;justify-content:space-between;gap:8px;align-items:center}
.name{font-size:20px;font-weight:600}.state{font-weight:700;white-space:nowrap}.s-normal .state{color:#0d652d}.s-degraded .state,.s-recovering .state{color:#8a4b00}.s-down .state{color:#a50e0e}
ul{margin:6px 0;padding-left:22px}.note{color:#555}.ann{background:#fff;border-radius:10px;padding:12px;margin:8px 0}.ann time{color:#555;font-size:16px}
.ann p{white-space:pre-wrap;margin:6px 0}form{background:#fff;border-radius:10px;padding:12px;margin:8px 0}label{display:block;margin:8px 0 4px}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #bbb;border-radius:8px;background:#fff}textarea{min-height:96px}
button{font:inherit;padding:10px 18px;margin-top:10px;border:0;border-radius:8px;background:#0b57d0;color:#fff}button.secondary{background:#e8eaed;color:#1f1f1f}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.out{min-height:1.6em;font-weight:600}footer{color:#555;font-size:16px;margin:20px 0}`;

/** Makes the forms answer in place (JSON to the API); without it they post as plain HTML forms. */
export const FORM_SCRIPT = `document.querySelectorAll('form[data-api]').forEach(function(f){f.addEventListener('submit',function(e){e.preventDefault();var o=f.querySelector('.out');var b=e.submitter;var d={};new FormData(f).forEach(function(v,k){if(v!=='')d[k]=v});var u=(b&&b.getAttribute('formaction'))||f.getAttribute('action');fetch(u,{method:'POST',headers:{'content-type':'application/json','accept':'application/json'},body:JSON.stringify(d)}).then(function(r){o.textContent=r.ok?(b&&b.dataset.ok)||f.dataset.ok:f.dataset.fail;if(r.ok&&f.dataset.reset)f.reset()}).catch(function(){o.textContent=f.dataset.fail})})})`;
export const FORM_SCRIPT_HASH = `sha256-${createHash('sha256').update(FORM_SCRIPT).digest('base64')}`;

/** The Content-Security-Policy the page is served with: nothing loads from elsewhere; only the script above runs. */
export const STATUS_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src '${FORM_SCRIPT_HASH}'; connect-src 'self'; form-action 'self'; img-src data:; base-uri 'none'; frame-ancestors 'none'`;

export function renderStatusHtml(doc: StatusDocument, lang: Lang, links: PageLinks, timezone: string): string {
  const t = L[lang];
  const e = escapeHtml;
  const services = doc.services
    .map((s) => {
      const showAlternatives = s.state !== 'normal' && s.alternatives.length > 0;
      return `<section class="svc s-${s.state}"><div class="row"><span class="name">${e(pick(s.name, lang))}</span><span class="state">${e(t.states[s.state])}</span></div>${
        showAlternatives ? `<div>${e(t.instead)}</div><ul>${s.alternatives.map((a) => `<li>${e(pick(a, lang))}</li>`).join('')}</ul>` : ''
      }${s.state !== 'normal' && s.note ? `<div class="note">${e(pick(s.note, lang))}</div>` : ''}${s.systems?.length ? `<div class="note">${e(s.systems.join(', '))}</div>` : ''}</section>`;
    })
    .join('');
  const eta =
    doc.overall === 'normal'
      ? ''
      : `<div class="eta"><strong>${e(t.recovery)}${e(t.colon)}</strong>${doc.expectedRecoveryAt ? `<time datetime="${e(doc.expectedRecoveryAt)}">${e(localTime(doc.expectedRecoveryAt, timezone))}</time>` : e(t.noEstimate)}</div>`;
  const announcements = doc.announcements.length
    ? doc.announcements
        .map(
          (a) =>
            `<article class="ann"><h3>${e(pick(a.title, lang))}</h3><time datetime="${e(a.publishedAt)}">${e(localTime(a.publishedAt, timezone))}</time><p>${e(pick(a.body, lang))}</p>${
              a.expectedRecoveryAt ? `<div>${e(t.recovery)}${e(t.colon)}${e(localTime(a.expectedRecoveryAt, timezone))}</div>` : ''
            }</article>`,
        )
        .join('')
    : `<p class="note">${e(t.noAnnouncements)}</p>`;
  const options = [`<option value="">${e(t.anyService)}</option>`, ...doc.services.map((s) => `<option value="${e(s.id)}">${e(pick(s.name, lang))}</option>`)].join('');
  const api = links.api.replace(/\/+$/, '');
  // served by Lifeline: the script answers in place; an exported copy (another host) posts plain forms
  const dataApi = api ? '' : ' data-api="1"';
  const feedback = `<form method="post" action="${e(api)}/api/v1/status/feedback"${dataApi} data-ok="${e(t.sent)}" data-fail="${e(t.failed)}" data-reset="1">
<p class="note">${e(t.feedbackHint)}</p><input type="hidden" name="lang" value="${lang}">
<label for="fb-message">${e(t.message)}</label><textarea id="fb-message" name="message" maxlength="1000" required></textarea>
<label for="fb-service">${e(t.service)}</label><select id="fb-service" name="service">${options}</select>
<label for="fb-contact">${e(t.contactField)}</label><input id="fb-contact" name="contact" maxlength="100" autocomplete="tel">
<div class="hp" aria-hidden="true"><label for="fb-website">Website</label><input id="fb-website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">${e(t.send)}</button><div class="out" role="status"></div></form>`;
  const sms = `<form method="post" action="${e(api)}/api/v1/status/subscriptions"${dataApi} data-ok="${e(t.codeSent)}" data-fail="${e(t.failed)}">
<p class="note">${e(t.smsHint)}</p><input type="hidden" name="lang" value="${lang}">
<label for="sms-phone">${e(t.phone)}</label><input id="sms-phone" name="phone" inputmode="numeric" pattern="1[3-9][0-9]{9}" maxlength="11" autocomplete="tel" required>
<button type="submit" data-ok="${e(t.codeSent)}">${e(t.getCode)}</button>
<label for="sms-code">${e(t.code)}</label><input id="sms-code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code">
<button type="submit" formaction="${e(api)}/api/v1/status/subscriptions/confirm" data-ok="${e(t.subscribed)}">${e(t.confirm)}</button>
<button type="submit" class="secondary" formaction="${e(api)}/api/v1/status/subscriptions/unsubscribe" data-ok="${e(t.unsubscribed)}">${e(t.unsubscribe)}</button><div class="out" role="status"></div></form>`;
  const other = lang === 'zh' ? links.en : links.zh;
  return `<!doctype html>
<html lang="${t.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(pick(doc.hospital.title, lang))}</title><style>${CSS}</style></head>
<body><main><header><h1>${e(pick(doc.hospital.title, lang))}</h1><a class="switch" href="${e(other)}" hreflang="${lang === 'zh' ? 'en' : 'zh-CN'}" lang="${lang === 'zh' ? 'en' : 'zh-CN'}">${e(t.switchTo)}</a></header>
<div class="banner b-${doc.overall}" data-overall="${doc.overall}">${e(t.overall[doc.overall])}</div>${eta}
${services}
<h2>${e(t.announcements)}</h2>${announcements}
<p>${e(t.updated)}${e(t.colon)}<time datetime="${e(doc.updatedAt)}">${e(localTime(doc.updatedAt, timezone))}</time></p>
${doc.hospital.contact ? `<p>${e(t.contact)}${e(t.colon)}${e(pick(doc.hospital.contact, lang))}</p>` : ''}
<h2>${e(t.sms)}</h2>${sms}
<h2>${e(t.feedback)}</h2>${feedback}
<footer><a href="${e(links.json)}">${e(t.json)}</a></footer></main><script>${FORM_SCRIPT}</script></body></html>
`;
}
