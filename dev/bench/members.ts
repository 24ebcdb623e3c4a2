// The bench's members: valid GB mobile numbers (libphonenumber accepts them; the tutorial's
// +447700900xxx drama range it does not), one per index, up to a million.
export const MAX_MEMBERS = 1_000_000;

export function memberPhone(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_MEMBERS)
    throw new RangeError(`member index ${index} is outside 0..${MAX_MEMBERS - 1}`);
  return `+447401${String(index).padStart(6, '0')}`;
}
