import {
  SqliteDialect,
  SqliteQueryCompiler,
  ValueNode,
  type LimitNode,
  type OffsetNode,
  type OperationNode,
  type QueryCompiler,
} from 'kysely';

/** A whole number that can be written into SQL as it is (never text a caller could shape). */
function literalCount(node: OperationNode): number | undefined {
  if (!ValueNode.is(node)) return undefined;
  const value = node.value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/**
 * SQLite's compiler, with LIMIT and OFFSET written as numbers instead of bound parameters. SQLite's
 * planner reads a bound LIMIT's value, and a statement whose plan depended on a bound value is compiled
 * again each time it is bound anew — every run, for a statement kept prepared (database.ts): 10 µs for
 * the dispatcher's simplest read, far more for a joined list. A statement per distinct number costs a
 * few more cached statements (page sizes are few).
 */
export class InlineCountsSqliteCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const count = literalCount(node.limit);
    if (count === undefined) super.visitLimit(node);
    else this.append(`limit ${count}`);
  }

  protected override visitOffset(node: OffsetNode): void {
    const count = literalCount(node.offset);
    if (count === undefined) super.visitOffset(node);
    else this.append(`offset ${count}`);
  }
}

export class PeopleflowSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new InlineCountsSqliteCompiler();
  }
}
