import { createContext, useContext } from 'react';
import type { Me } from '@contract';

export const MeContext = createContext<Me | null>(null);

/** The signed-in person, inside the auth guard. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() outside <RequireAuth>');
  return me;
}
