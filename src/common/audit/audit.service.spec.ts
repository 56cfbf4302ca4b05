import type { EntityManager } from 'typeorm';
import { FakeClock } from '../clock';
import type { AuditEntry } from './audit-entry.entity';
import type { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** An in-memory AuditRepository: the service's rules without a database. */
function fakeRepository(entries: AuditEntry[]) {
  const updates: Array<{ id: string; before: string | null; after: string | null }> = [];
  const repository = {
    insert: async (_tx: EntityManager, fields: Omit<AuditEntry, 'id'>) => {
      entries.push({ id: `e${entries.length + 1}`, ...fields });
    },
    findAboutEntity: async (_tx: EntityManager, type: string, id: string) =>
      entries.filter((e) => e.entityType === type && e.entityId === id),
    updateValues: async (_tx: EntityManager, id: string, values: Pick<AuditEntry, 'before' | 'after'>) => {
      updates.push({ id, ...values });
    },
  } as unknown as AuditRepository;
  return { repository, updates };
}

const tx = {} as EntityManager;

describe('AuditService', () => {
  it('records the change as JSON, at the clock’s time', async () => {
    const entries: AuditEntry[] = [];
    const audit = new AuditService(fakeRepository(entries).repository, new FakeClock());
    await audit.record(tx, 'actor-1', 'user.create', { type: 'user', id: 'u1' }, null, { role: 'trainer' });
    expect(entries).toEqual([
      expect.objectContaining({
        at: new Date('2026-03-02T10:00:00.000Z'),
        actorId: 'actor-1',
        action: 'user.create',
        entityType: 'user',
        entityId: 'u1',
        before: null,
        after: '{"role":"trainer"}',
      }),
    ]);
  });

  it('scrubs the given keys from entries about one entity and rewrites only the entries that change', async () => {
    const entry = (
      id: string,
      entityId: string,
      before: object | null,
      after: object | null,
    ): AuditEntry => ({
      id,
      at: new Date(),
      actorId: null,
      action: 'x',
      entityType: 'user',
      entityId,
      before: before && JSON.stringify(before),
      after: after && JSON.stringify(after),
    });
    const entries = [
      entry('a', 'u1', { name: 'Ana', role: 'trainer' }, { name: 'Ana B', role: 'manager' }),
      entry('b', 'u1', { status: 'active' }, { status: 'disabled' }),
      entry('c', 'u2', { name: 'Beto' }, null),
    ];
    const { repository, updates } = fakeRepository(entries);
    await new AuditService(repository, new FakeClock()).scrubValues(tx, { type: 'user', id: 'u1' }, [
      'name',
      'email',
    ]);
    expect(updates).toEqual([
      { id: 'a', before: '{"name":"—","role":"trainer"}', after: '{"name":"—","role":"manager"}' },
    ]);
  });
});
