import { describe, expect, it } from 'vitest';
import { judgeUserRow, type UserRow } from './member-rules';
import { memberRef } from './members';

const memberRole = 'e38c3779-dffb-4cbf-8907-756924cb5123';
const roles = new Set([memberRole]);
const member: UserRow = {
  id: 'a0000000-0000-4000-8000-000000000001',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone: '+447400123456',
  status: 'active',
  role: memberRole,
  provider: 'default',
  tfa_secret: null,
};

describe('judgeUserRow', () => {
  it('accepts an active member of a member role', () => {
    expect(judgeUserRow(member, roles)).toBeNull();
    expect(judgeUserRow({ ...member, role: memberRole.toUpperCase() }, roles)).toBeNull();
  });

  it.each([
    ['nobody', undefined, 'no_user'],
    ['a suspended member', { ...member, status: 'suspended' }, 'not_active'],
    ['an invited member', { ...member, status: 'invited' }, 'not_active'],
    ['a user of another role', { ...member, role: 'b0000000-0000-4000-8000-000000000002' }, 'not_member_role'],
    ['a user without a role', { ...member, role: null }, 'not_member_role'],
    ['an SSO user', { ...member, provider: 'github' }, 'other_provider'],
    ['a member with two-factor', { ...member, tfa_secret: 'JBSWY3DPEHPK3PXP' }, 'two_factor'],
  ])('refuses %s', (_name, user, reason) => {
    expect(judgeUserRow(user as UserRow | undefined, roles)).toBe(reason);
  });
});

describe('memberRef', () => {
  it('is stable, opaque and keyed', () => {
    const key = 'k'.repeat(32);
    expect(memberRef(key, member.id)).toBe(memberRef(key, member.id));
    expect(memberRef(key, member.id)).toMatch(/^m_[A-Za-z0-9_-]{32}$/);
    expect(memberRef(key, member.id)).not.toContain(member.id.slice(0, 8));
    expect(memberRef(`${key}x`, member.id)).not.toBe(memberRef(key, member.id));
  });
});
