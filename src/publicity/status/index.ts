export type { PublicNotice, PublicText, AffectedService, ServiceState, StatusDocument, SystemStateInput } from './types.js';
export { affectedServices, propagatedStates, systemStatesOf } from './services.js';
export { confirmedSubscribers, type SendSms, type Subscriber } from './subscribers.js';
