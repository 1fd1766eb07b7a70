import { describe, expect, it } from 'vitest';
import { clearDraft, draftKey, loadDraft, saveDraft, type Draft, type DraftStorage } from './drafts';

function memoryStorage(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const draft: Draft = {
  form_values: { days: '3', reason: 'trip' },
  selected_approvers: { n1: ['u1'] },
  saved_at: '2026-12-03T09:00:00.000Z',
  flow_version: 2,
};

describe('drafts', () => {
  it('keeps one draft per person and flow', () => {
    const storage = memoryStorage();
    expect(saveDraft(storage, 't1:alice', 'leave', draft)).toBe(true);
    expect(loadDraft(storage, 't1:alice', 'leave')).toEqual(draft);
    expect(loadDraft(storage, 't1:bob', 'leave')).toBeNull();
    expect(loadDraft(storage, 't1:alice', 'expense')).toBeNull();
    clearDraft(storage, 't1:alice', 'leave');
    expect(loadDraft(storage, 't1:alice', 'leave')).toBeNull();
  });

  it('removes the draft instead of saving an empty one', () => {
    const storage = memoryStorage();
    saveDraft(storage, 'p', 'f', draft);
    saveDraft(storage, 'p', 'f', { ...draft, form_values: { paid: false }, selected_approvers: { n1: [] } });
    expect(storage.data.has(draftKey('p', 'f'))).toBe(false);
  });

  it('survives corrupt entries and a browser that refuses to store', () => {
    const storage = memoryStorage();
    storage.data.set(draftKey('p', 'f'), '{not json');
    expect(loadDraft(storage, 'p', 'f')).toBeNull();
    storage.data.set(
      draftKey('p', 'f'),
      JSON.stringify({ form_values: { a: '1' }, selected_approvers: { n: ['u', 3] } }),
    );
    expect(loadDraft(storage, 'p', 'f')).toEqual({
      form_values: { a: '1' },
      selected_approvers: { n: ['u'] },
      saved_at: '1970-01-01T00:00:00.000Z',
      flow_version: 0,
    });
    const full: DraftStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => undefined,
    };
    expect(saveDraft(full, 'p', 'f', draft)).toBe(false);
    expect(loadDraft(full, 'p', 'f')).toBeNull();
  });
});
