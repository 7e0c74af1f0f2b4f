/** Plan messages that used to mislead (issue 14 item 5). */
import { plan } from '../../src/plan/plan';
import { reasonsBesideGuards } from '../../src/plan/render/common';
import { renderMarkdown } from '../../src/plan/render/markdown';
import { renderText } from '../../src/plan/render/text';
import { aKey, anAllowlist, anException, aSnapshot, aUser, dateIn, daysAgo, NOW } from './fixtures';

describe('a held user reason', () => {
  const recent = aUser({ name: 'shadow', activity: { accessKeys: [aKey({ lastUsed: daysAgo(2) })] } });
  const held = plan(aSnapshot({ users: [recent] }), anAllowlist(), NOW).users[0]!;

  it('GIVEN a user held by a guard WHEN its reasons are listed beside the guards THEN the "held:" copy of the guard is left out', () => {
    expect(held.decision).toBe('hold');
    expect(held.reasons[0]).toMatch(/^held: /);
    expect(reasonsBesideGuards(held).some((reason) => reason.startsWith('held: '))).toBe(false);
    expect(reasonsBesideGuards(held)).toEqual(held.reasons.slice(1));
  });

  it('GIVEN the same plan WHEN rendered as text or markdown THEN the guard message appears once', () => {
    const result = plan(aSnapshot({ users: [recent] }), anAllowlist(), NOW);
    const message = held.guards[0]!.message;
    for (const rendered of [renderText(result), renderMarkdown(result)]) expect(rendered.split(message).length - 1).toBe(1);
  });
});

describe('counts in plan messages', () => {
  it('GIVEN an exception expiring tomorrow WHEN planned THEN the notice says "in 1 day"', () => {
    const excepted = aUser({ name: 'temp' });
    const allowlist = anAllowlist({ exceptions: [anException({ name: 'temp', expires: dateIn(1) })] });
    const notices = plan(aSnapshot({ users: [excepted] }), allowlist, NOW).notices;
    expect(notices.find((notice) => notice.includes('temp'))).toMatch(/\(in 1 day\)$/);
  });

  it('GIVEN a user used 1 day ago and recentlyActiveDays 1 WHEN planned THEN the guard says "1 day", never "1 days"', () => {
    const recent = aUser({ name: 'shadow', activity: { accessKeys: [aKey({ lastUsed: daysAgo(1) })] } });
    const allowlist = anAllowlist();
    const oneDay = { ...allowlist, guards: { ...allowlist.guards, recentlyActiveDays: 1 } };
    const held = plan(aSnapshot({ users: [recent] }), oneDay, NOW).users[0]!;
    expect(held.guards.map((g) => g.message)).toEqual(['used 1 day ago (within 1 day)']);
  });

  it('GIVEN a plan of one user WHEN rendered as text THEN "1 user in total"', () => {
    const text = renderText(plan(aSnapshot({ users: [aUser({ name: 'declared-placeholder' })] }), anAllowlist(), NOW));
    expect(text).toContain(', 1 user in total.');
  });
});
