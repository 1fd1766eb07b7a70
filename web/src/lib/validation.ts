/**
 * What Ant Design's `form.validateFields()` rejects with: the fields in error, and `outOfDate` when
 * another validation of the same form started before this one finished (rc-field-form keeps only the
 * latest; a field validating on change, or a picker settling as Confirm takes the focus).
 */
interface ValidateFailure {
  errorFields?: unknown[];
  outOfDate?: boolean;
}

/** A validation overtaken by another one and with no field in error: nothing on screen says why. */
export function isOvertaken(failure: unknown): boolean {
  if (typeof failure !== 'object' || failure === null) return false;
  const { outOfDate, errorFields } = failure as ValidateFailure;
  return outOfDate === true && (!Array.isArray(errorFields) || errorFields.length === 0);
}

export type Validated<T> = { ok: true; values: T } | { ok: false; shown: boolean };

/**
 * Validates a dialog's form for its Confirm. Never rejects, and never ends silently: the values;
 * or `shown` — a field is in error and the form says so beside it; or not shown (the validation kept
 * being overtaken, or failed otherwise), which the dialog must say itself. An overtaken validation is
 * run again, so that the latest values decide.
 */
export async function validateForConfirm<T>(
  form: { validateFields(): Promise<T> },
  attempts = 3,
): Promise<Validated<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, values: await form.validateFields() };
    } catch (failure) {
      if (isOvertaken(failure) && attempt < attempts) continue;
      const errorFields = (failure as ValidateFailure | null)?.errorFields;
      return { ok: false, shown: Array.isArray(errorFields) && errorFields.length > 0 };
    }
  }
}
