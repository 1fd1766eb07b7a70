import { describe, expect, it } from 'vitest';
import { previewIsCurrent } from './preview';

describe('previewIsCurrent', () => {
  const typed = { form_values: { days: '15' }, selected_approvers: {} };

  it('is current once the settled values are the typed ones and their own answer is shown', () => {
    expect(previewIsCurrent(typed, typed, false)).toBe(true);
    expect(previewIsCurrent(typed, { form_values: { days: '15' }, selected_approvers: {} }, false)).toBe(
      true,
    );
  });

  it('is not while the debounce still holds newer values back', () => {
    expect(previewIsCurrent(typed, { form_values: { days: '1' }, selected_approvers: {} }, false)).toBe(
      false,
    );
  });

  it("is not while the previous values' answer stands in for the new one", () => {
    expect(previewIsCurrent(typed, typed, true)).toBe(false);
  });
});
