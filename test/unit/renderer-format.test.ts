import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../renderer/src/format.js';

describe('formatDateTime', () => {
  it('shows an instant in local time as YYYY/MM/DD HH:mm, like the manual (2022/12/02 15:14)', () => {
    const iso = new Date(2022, 11, 2, 15, 14, 59).toISOString();
    expect(formatDateTime(iso)).toBe('2022/12/02 15:14');
  });

  it('pads single-digit months, days, hours and minutes', () => {
    expect(formatDateTime(new Date(2025, 0, 5, 7, 3).toISOString())).toBe('2025/01/05 07:03');
  });

  it('shows nothing for a value that is not a date, rather than "NaN/NaN"', () => {
    expect(formatDateTime('not a date')).toBe('');
  });
});
