import { describe, expect, test } from 'vitest';
import { hasSessionMarker } from './session';

describe("the session cookie's marker", () => {
  test('is found among other cookies, wherever it stands', () => {
    expect(hasSessionMarker('pf_signed_in=1')).toBe(true);
    expect(hasSessionMarker('theme=dark; pf_signed_in=1')).toBe(true);
    expect(hasSessionMarker('pf_signed_in=1;theme=dark')).toBe(true);
  });

  test('is not mistaken for a cookie with a name that merely contains it, or for nothing', () => {
    expect(hasSessionMarker('')).toBe(false);
    expect(hasSessionMarker('x_pf_signed_in=1; theme=dark')).toBe(false);
    expect(hasSessionMarker('pf_signed_in_old=1')).toBe(false);
  });
});
