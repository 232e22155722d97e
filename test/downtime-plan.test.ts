import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_PATH, loadDefaultPlan, parsePlanText } from '../src/plan/index.js';
import { FORMS, recordTypeFor } from '../src/downtime/catalogue.js';
import { effectiveStates, proposals } from '../src/downtime/lines.js';
import { reconcile } from '../src/downtime/reconcile.js';
import { renderForms } from '../src/downtime/render.js';
import { FORM_TYPES } from '../src/downtime/types.js';

const plan = loadDefaultPlan();
const text = fs.readFileSync(DEFAULT_PLAN_PATH, 'utf8');

describe('the plan: departments, business lines and their procedures', () => {
  it('gives the default plan nine business lines, each with systems, departments and a three-band procedure', () => {
    expect(plan.business_lines?.map((b) => b.id)).toEqual([
      'registration',
      'outpatient_doctor',
      'charging',
      'pharmacy',
      'laboratory',
      'imaging',
      'admission_discharge',
      'ward_nursing',
      'mi_settlement',
    ]);
    for (const line of plan.business_lines!) {
      expect(line.depends_on.length, line.id).toBeGreaterThan(0);
      expect(line.procedure.during.length, line.id).toBeGreaterThan(0);
      expect(line.procedure.after.length, line.id).toBeGreaterThan(0);
      for (const d of line.departments)
        expect(
          plan.departments?.some((x) => x.id === d),
          `${line.id}: ${d}`,
        ).toBe(true);
    }
    expect(plan.downtime).toMatchObject({ late_entry_within: 'PT6H', numbers: { mrn: { prefix: 'TM' } } });
  });

  it('reports a business line naming an unknown system or department, and a misspelt key, with positions', () => {
    const broken = text
      .replace('depends_on: [MI_SETTLEMENT]', 'depends_on: [MI_SETTLMENT]')
      .replace('departments: [LAB]', 'departments: [LABO]')
      .replace('retention: inpatient\n    forms: [order_sheet', 'retension: inpatient\n    forms: [order_sheet');
    const { issues } = parsePlanText(broken, 'broken.yaml');
    const messages = issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages.some((m) => /business_lines\[8\]\.depends_on\[0\]: system "MI_SETTLMENT" is not defined/.test(m))).toBe(true);
    expect(messages.some((m) => /business_lines\[4\]\.departments\[0\]: department "LABO" is not defined/.test(m))).toBe(true);
    expect(messages.some((m) => /business_lines\[7\]/.test(m) && /retension|retention/.test(m))).toBe(true);
    expect(issues.every((i) => i.line !== undefined)).toBe(true);
  });

  it('propagates outages along hard dependencies and proposes the lines that need a down system', () => {
    const states = effectiveStates(plan, [{ system: 'DB_PRIMARY', state: 'down' }]);
    expect(states.get('HIS')).toBe('down');
    expect(states.get('MI_SETTLEMENT')).toBe('down');
    expect(states.get('MOBILE_NURSING')).toBe('degraded'); // soft dependency
    expect(new Set(proposals(plan, [{ system: 'LIS', state: 'down' }], []).map((p) => p.businessLine))).toEqual(new Set(['laboratory']));
    expect(proposals(plan, [{ system: 'LIS', state: 'degraded' }], [])).toEqual([]);
  });
});

describe('paper forms', () => {
  it('prints every form with its serial, a QR code, CJK font fallbacks and the right paper size', async () => {
    for (const type of FORM_TYPES) {
      const html = await renderForms(plan, [{ type, serial: `${FORMS[type].code}-000001`, qr: 'http://x/downtime/scan/X', printed: 'now' }]);
      expect(html, type).toContain(`data-serial="${FORMS[type].code}-000001"`);
      expect(html).toContain('<svg');
      expect(html).toContain('"Noto Sans CJK SC"');
      expect(html).toContain(FORMS[type].paper === 'A4' ? 'size: A4 portrait' : 'size: A5 portrait');
    }
    const two = await renderForms(
      plan,
      [1, 2, 3].map((n) => ({ type: 'prescription' as const, serial: `RX-00000${n}`, qr: 'q', printed: 'now' })),
      { paper: 'A4' },
    );
    expect(two).toContain('size: A4 landscape');
    expect(two.match(/class="page"/g)).toHaveLength(2); // two A5 per A4 sheet
    const receipt = await renderForms(plan, [{ type: 'temporary_receipt', serial: 'RC-000001', qr: 'q', number: 'TR000001', printed: 'now' }]);
    expect(receipt.match(/<svg/g)).toHaveLength(2); // both parts carry the serial and QR
    expect(receipt).toContain('第二联 存根');
    expect(await renderForms(plan, [{ type: 'lab_requisition', serial: 'LQ-1', qr: '<script>', printed: '<b>x</b>' }])).not.toContain('<b>x</b>');
  });

  it('maps forms to the record they become on back-entry, per business line', () => {
    expect(recordTypeFor('registration_slip', 'registration')).toBe('registration');
    expect(recordTypeFor('registration_slip', 'admission_discharge')).toBe('admission');
    expect(recordTypeFor('prescription', 'pharmacy')).toBe('dispense');
    expect(recordTypeFor('temporary_receipt', 'mi_settlement')).toBe('mi_settlement');
    expect(recordTypeFor('activity_log', 'pharmacy')).toBeNull();
  });

  it('reconciles nothing to a clean sheet', () => {
    const r = reconcile([], [], []);
    expect(r.checks.every((c) => c.ok && c.expected === 0)).toBe(true);
    expect(r.progress).toMatchObject({ total: 0, open: 0 });
  });
});
