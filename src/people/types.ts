/** The people directory, role assignments and duty rosters (值班表). Times are epoch ms; dates local `YYYY-MM-DD`. */

export interface Person {
  id: string;
  employeeNo: string | null; // 工号, the natural key of roster imports
  name: string;
  department: string;
  title: string;
  mobile: string | null;
  phone: string | null; // office or landline
  email: string | null;
  wecomUserId: string | null;
  dingtalkUserId: string | null;
  feishuOpenId: string | null;
  /** Channel ids (from the notify config) this person prefers, in order; null = the default routing. */
  channels: string[] | null;
  active: boolean;
  notes: string;
  createdAt: number;
  updatedAt: number;
}

export type PersonInput = Partial<Omit<Person, 'id' | 'createdAt' | 'updatedAt'>> & { name: string };

/** Who fills a plan role outside a rota: holders (all paged) and deputies in order (paged when holders are unreachable). */
export interface RoleAssignees {
  role: string;
  holders: string[];
  deputies: string[];
}

/**
 * A repeating 24-hour duty (值班) handed over at `handover` local time. The shift that starts on local date D
 * is taken by `pattern[dayType(D)]`, cycling through that list by the number of earlier days of the same type
 * since `startsOn`. Day types: holiday (calendar), workday (calendar: a weekend day worked, 调休), weekend, weekday.
 * A missing or empty holiday list falls back to weekend, and weekend to weekday.
 */
export interface Rotation {
  id: string;
  role: string;
  name: string;
  handover: string; // HH:mm
  startsOn: string; // YYYY-MM-DD, the first shift
  weekday: string[]; // person ids
  weekend: string[] | null;
  holiday: string[] | null;
  active: boolean;
}

/**
 * A dated duty: `shift` rows come from an imported 值班表 (one per person and day); `override` rows are
 * exceptions (a swap, sick leave cover) and win over everything else while they last.
 */
export interface OncallEntry {
  id: string;
  role: string;
  personId: string;
  kind: 'shift' | 'override';
  startsAt: number;
  endsAt: number;
  reason: string;
  createdAt: number;
}

export type DayKind = 'holiday' | 'workday';

export interface OncallData {
  timezone: string;
  people: ReadonlyMap<string, Pick<Person, 'id' | 'name' | 'active'>>;
  assignees: ReadonlyMap<string, RoleAssignees>;
  rotations: readonly Rotation[];
  entries: readonly OncallEntry[];
  calendar: ReadonlyMap<string, DayKind>;
}

export type HoldingSource = 'override' | 'shift' | 'rotation' | 'assignment' | 'none';

/** Who holds a role at an instant, from when, until when (null: open-ended), and the deputies behind them. */
export interface Holding {
  role: string;
  personIds: string[];
  source: HoldingSource;
  from: number | null;
  until: number | null;
  deputies: string[];
}

export interface Gap {
  role: string;
  from: number;
  to: number;
  reason: 'nobody' | 'inactive';
}
