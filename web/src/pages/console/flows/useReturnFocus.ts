import { useEffect, useState } from 'react';

/**
 * Gives the keyboard focus back to the control that had it when a dialog opened (the button that
 * opened it) once the dialog goes away. The console's dialogs are mounted only while open, so Ant
 * Design's own return of focus, which runs when `open` turns false, never gets its turn.
 */
export function useReturnFocus(): void {
  // Captured while rendering: the dialog's own effects move the focus into it before ours would run.
  const [opener] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      // After the dialog's focus trap has let go (it would pull the focus back while still mounted).
      window.setTimeout(() => {
        if (opener instanceof HTMLElement && opener.isConnected) opener.focus({ preventScroll: true });
      }, 0);
    },
    [opener],
  );
}
