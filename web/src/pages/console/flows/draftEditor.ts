import type { FlowDocument, FlowProblem } from '@contract';

/** What a designer focuses when a problem is clicked (or a node or field is selected). */
export interface EditorFocus {
  nodeId?: string;
  fieldApiName?: string;
}

/**
 * The flow editor's draft, shared by its tabs (form designer, flow designer, simulation, versions,
 * settings). The editor page owns it (useDraftEditor, h-flows): every `change` is one undo step and
 * is autosaved; a save refused because someone else saved first shows as `conflict` and keeps the
 * local document.
 */
export interface DraftEditor {
  flowId: string;
  document: FlowDocument;
  /**
   * Applies a change to the document: one undo step, autosaved. The recipe gets a copy it may edit in
   * place and return. Changes with the same `coalesce` key made within a second of each other are one
   * undo step (typing in one input).
   */
  change(recipe: (document: FlowDocument) => FlowDocument, coalesce?: string): void;
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
  /** The server's problems with the current document (what publishing would refuse). */
  problems: FlowProblem[];
  focus: EditorFocus | null;
  setFocus(focus: EditorFocus | null): void;
  save: { state: 'saved' | 'saving' | 'unsaved' | 'conflict' | 'error'; revision: number; error?: unknown };
  /** Nothing can be changed (no draft, or the person may only look). */
  readOnly: boolean;
}
