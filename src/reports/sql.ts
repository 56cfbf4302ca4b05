/** Anything that runs a report query (`ReportReader`: a worker thread on SQLite, the pool on PostgreSQL). */
export interface QueryRunnerLike {
  query(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>>;
}

/** A WHERE clause built from parts with `?` parameters (never string-concatenated values). */
export class Where {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/** Runs a report query and turns every count/sum into a JSON number (PostgreSQL returns bigints as strings). */
export async function rows<T extends Record<string, unknown>>(
  db: QueryRunnerLike,
  sql: string,
  params: unknown[],
  numeric: string[],
): Promise<T[]> {
  const result = await db.query(sql, params);
  return result.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const key of numeric) out[key] = Number(row[key] ?? 0);
    return out as T;
  });
}
