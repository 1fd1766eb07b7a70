import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ConsoleFlowDetail, FlowDocument, FlowProblem, PersonRef } from '@contract';
import { isApiError } from '../../../api/client';
import {
  applyChange,
  redo as redoStep,
  startHistory,
  undo as undoStep,
  type History,
} from '../../../lib/draftHistory';
import { pinViolation, refusedProblems } from '../../../lib/flowProblems';
import type { DraftEditor, EditorFocus } from './draftEditor';
import { consoleFlowKeys, downloadJson, draftApi, useFlowDetail } from './queries';

/** How long the editor waits after the last change before saving. */
export const AUTOSAVE_MS = 800;

/** Someone else saved (or published) the draft while this editor held changes. */
export interface DraftConflict {
  revision: number;
  by?: PersonRef | undefined;
  at?: string | undefined;
}

export type PublishOutcome = 'published' | 'problems' | 'conflict' | 'error';

/** The editor page's controller: the DraftEditor the tabs get, plus what the page's header needs. */
export interface FlowEditorController extends DraftEditor {
  loading: boolean;
  loadError: unknown;
  /** The flow as last loaded, published or enabled (name in the list, version, enabled, has_draft). */
  detail: ConsoleFlowDetail | undefined;
  conflict: DraftConflict | null;
  /** Whether there is something to publish (a draft on the server, or one being saved). */
  hasDraft: boolean;
  /** Saves now (pending changes, or a retry after an error). */
  saveNow(): Promise<void>;
  validate(): Promise<FlowProblem[]>;
  publish(): Promise<PublishOutcome>;
  publishError: unknown;
  setEnabled(enabled: boolean): Promise<void>;
  /** Conflict: drop the local changes and take the server's draft. */
  reloadTheirs(): Promise<void>;
  /** Conflict (or any time): the local document as a JSON file. */
  downloadMine(): void;
}

const EMPTY_DOCUMENT: FlowDocument = {
  name: { zh_cn: '', en_us: '' },
  biz_type: '',
  process_admins: [],
  form: [],
  nodes: [],
};

const same = (a: FlowDocument, b: FlowDocument) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The flow editor's draft (see DraftEditor): history-based undo/redo, autosave AUTOSAVE_MS after the
 * last change naming the revision it was made from, the server's problems from each save and
 * validation, and a conflict that keeps the local document when someone else saved first.
 */
export function useDraftEditor(flowId: string): FlowEditorController {
  const queryClient = useQueryClient();
  const loaded = useFlowDetail(flowId);
  const [detail, setDetail] = useState<ConsoleFlowDetail | undefined>(undefined);
  const [history, setHistory] = useState<History<FlowDocument> | null>(null);
  const [revision, setRevision] = useState(0);
  const [saveState, setSaveState] = useState<DraftEditor['save']['state']>('saved');
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [problems, setProblems] = useState<FlowProblem[]>([]);
  const [focus, setFocus] = useState<EditorFocus | null>(null);
  const [conflict, setConflict] = useState<DraftConflict | null>(null);
  const [savedOnce, setSavedOnce] = useState(false);
  const [publishError, setPublishError] = useState<unknown>(undefined);
  const [saveRound, setSaveRound] = useState(0);

  // The async save reads the latest values through refs (the effect's closure would be stale).
  const historyRef = useRef(history);
  historyRef.current = history;
  const revisionRef = useRef(revision);
  const savedRef = useRef<FlowDocument | null>(null);
  const failedRef = useRef<FlowDocument | null>(null);
  const savingRef = useRef<Promise<void> | null>(null);
  const conflictRef = useRef(conflict);
  conflictRef.current = conflict;

  const refreshLists = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: consoleFlowKeys.all, refetchType: 'active' });
  }, [queryClient]);

  /** Starts over from the server's flow: its draft, else the latest version. */
  const reset = useCallback(
    (from: ConsoleFlowDetail) => {
      const document = structuredClone(from.draft?.document ?? from.published ?? EMPTY_DOCUMENT);
      setDetail(from);
      setHistory(startHistory(document));
      setRevision(from.draft_revision);
      revisionRef.current = from.draft_revision;
      savedRef.current = document;
      failedRef.current = null;
      setSaveState('saved');
      setSaveError(undefined);
      setConflict(null);
      setSavedOnce(false);
      queryClient.setQueryData(consoleFlowKeys.detail(flowId), from);
      draftApi.validate(flowId, document).then(
        (answer) => {
          setProblems(answer.problems);
        },
        () => {
          setProblems([]);
        },
      );
    },
    [flowId, queryClient],
  );

  // The first load (later ones come from reset after publish or reload, not from the query).
  useEffect(() => {
    if (loaded.data && historyRef.current === null) reset(loaded.data);
  }, [loaded.data, reset]);

  const learnConflict = useCallback(async () => {
    setSaveState('conflict');
    try {
      const now = await draftApi.detail(flowId);
      setConflict({ revision: now.draft_revision, by: now.draft?.updated_by, at: now.draft?.updated_at });
    } catch {
      setConflict({ revision: -1 });
    }
  }, [flowId]);

  const flush = useCallback(
    async (retry = false): Promise<void> => {
      if (savingRef.current) await savingRef.current;
      const current = historyRef.current;
      if (!current || conflictRef.current) return;
      const document = current.present;
      if (savedRef.current && same(document, savedRef.current)) {
        savedRef.current = document;
        setSaveState('saved');
        return;
      }
      if (!retry && failedRef.current === document) return;
      const work = (async () => {
        setSaveState('saving');
        try {
          const answer = await draftApi.save(flowId, document, revisionRef.current);
          revisionRef.current = answer.revision;
          setRevision(answer.revision);
          savedRef.current = document;
          failedRef.current = null;
          setSavedOnce(true);
          setProblems(answer.problems);
          setSaveError(undefined);
          setSaveState(historyRef.current?.present === document ? 'saved' : 'unsaved');
          refreshLists();
        } catch (error) {
          failedRef.current = document;
          if (isApiError(error, 'edit_conflict')) {
            await learnConflict();
            return;
          }
          if (isApiError(error, 'invalid_field'))
            setProblems(error.violations.map((v) => pinViolation(document, v)));
          setSaveError(error);
          setSaveState('error');
        }
      })();
      savingRef.current = work;
      try {
        await work;
      } finally {
        savingRef.current = null;
        setSaveRound((n) => n + 1);
      }
    },
    [flowId, learnConflict, refreshLists],
  );

  // Autosave: a while after the last change (and again after a save, for changes made meanwhile).
  const present = history?.present;
  useEffect(() => {
    if (!present || conflict || savingRef.current) return;
    if (savedRef.current && (present === savedRef.current || same(present, savedRef.current))) {
      setSaveState((state) => (state === 'error' ? state : 'saved'));
      return;
    }
    if (failedRef.current === present) return;
    setSaveState('unsaved');
    const timer = setTimeout(() => {
      void flush();
    }, AUTOSAVE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [present, conflict, flush, saveRound]);

  // Leaving with changes not saved: the browser asks first.
  useEffect(() => {
    if (saveState === 'saved') return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
    };
  }, [saveState]);

  const change = useCallback((recipe: (document: FlowDocument) => FlowDocument, coalesce?: string) => {
    setHistory((h) => {
      if (!h) return h;
      // The recipe gets a copy: a designer that edits in place and returns it still makes a new step.
      const next = recipe(structuredClone(h.present));
      if (same(next, h.present)) return h;
      return applyChange(h, next, { coalesce });
    });
  }, []);
  const undo = useCallback(() => {
    setHistory((h) => (h ? undoStep(h) : h));
  }, []);
  const redo = useCallback(() => {
    setHistory((h) => (h ? redoStep(h) : h));
  }, []);

  const validate = useCallback(async () => {
    const document = historyRef.current?.present;
    if (!document) return [];
    const answer = await draftApi.validate(flowId, document);
    setProblems(answer.problems);
    return answer.problems;
  }, [flowId]);

  const publish = useCallback(async (): Promise<PublishOutcome> => {
    setPublishError(undefined);
    await flush(true);
    if (conflictRef.current) return 'conflict';
    const document = historyRef.current?.present;
    // Only what the server holds is published: a document that could not be saved is not.
    if (!document || !savedRef.current || !same(document, savedRef.current)) return 'error';
    try {
      const published = await draftApi.publish(flowId, revisionRef.current);
      reset(published);
      refreshLists();
      return 'published';
    } catch (error) {
      if (isApiError(error, 'edit_conflict')) {
        await learnConflict();
        return 'conflict';
      }
      if (isApiError(error, 'invalid_field')) {
        // The refusal's `problems` are pinned by the server (node, form field, rule field); the bare
        // violations are only a fallback for an answer without them.
        const pinned =
          refusedProblems(error.details) ?? error.violations.map((v) => pinViolation(document, v));
        if (pinned.length > 0) {
          setProblems(pinned);
          return 'problems';
        }
      }
      setPublishError(error);
      return 'error';
    }
  }, [flowId, flush, learnConflict, refreshLists, reset]);

  const setEnabled = useCallback(
    async (enabled: boolean) => {
      const changed = await draftApi.setEnabled(flowId, enabled);
      setDetail(changed);
      refreshLists();
    },
    [flowId, refreshLists],
  );

  const reloadTheirs = useCallback(async () => {
    reset(await draftApi.detail(flowId));
  }, [flowId, reset]);

  const downloadMine = useCallback(() => {
    const document = historyRef.current?.present;
    if (document) downloadJson(document, `flow-${flowId}-mine.json`);
  }, [flowId]);

  const saveNow = useCallback(() => flush(true), [flush]);

  return useMemo(
    () => ({
      flowId,
      document: history?.present ?? EMPTY_DOCUMENT,
      change,
      undo,
      redo,
      canUndo: (history?.past.length ?? 0) > 0,
      canRedo: (history?.future.length ?? 0) > 0,
      problems,
      focus,
      setFocus,
      save: { state: saveState, revision, ...(saveError !== undefined ? { error: saveError } : {}) },
      readOnly: history === null,
      loading: loaded.isPending,
      loadError: loaded.error,
      detail,
      conflict,
      hasDraft: Boolean(detail?.has_draft) || savedOnce || saveState !== 'saved',
      saveNow,
      validate,
      publish,
      publishError,
      setEnabled,
      reloadTheirs,
      downloadMine,
    }),
    [
      flowId,
      history,
      change,
      undo,
      redo,
      problems,
      focus,
      saveState,
      revision,
      saveError,
      loaded.isPending,
      loaded.error,
      detail,
      conflict,
      savedOnce,
      saveNow,
      validate,
      publish,
      publishError,
      setEnabled,
      reloadTheirs,
      downloadMine,
    ],
  );
}
