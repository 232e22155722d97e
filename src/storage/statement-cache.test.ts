import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.js';

describe('cachingStatements', () => {
  let sqlite: SQLite.Database;
  afterEach(() => {
    if (sqlite.open) sqlite.close();
  });
  const open = () => {
    sqlite = new SQLite(':memory:');
    sqlite.exec('create table t (id integer primary key, name text)');
    return sqlite;
  };

  it('prepares a query once and hands out the same statement after', () => {
    const db = cachingStatements(open());
    const first = db.prepare('select * from t where id = ?');
    expect(db.prepare('select * from t where id = ?')).toBe(first);
    expect(db.prepare('select * from t where name = ?')).not.toBe(first);
  });

  it('a statement still being iterated is not handed out again: that query gets its own', () => {
    const db = cachingStatements(open());
    sqlite.exec("insert into t (name) values ('a'), ('b')");
    const query = 'select name from t order by id';
    const streaming = db.prepare(query) as unknown as SQLite.Statement;
    const rows = streaming.iterate();
    expect((rows.next().value as { name: string }).name).toBe('a');
    const other = db.prepare(query);
    expect(other).not.toBe(streaming);
    expect(other.all([])).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect((rows.next().value as { name: string }).name).toBe('b');
    rows.return?.();
    expect(db.prepare(query)).toBe(streaming); // done iterating: reused again
  });

  it('lets the least recently used statement go beyond its capacity', () => {
    const db = cachingStatements(open(), 2);
    const a = db.prepare('select 1');
    const b = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(a); // now b is the least recently used
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(a);
    expect(db.prepare('select 2')).not.toBe(b);
  });

  it("runs Kysely's queries with the right results, also after the schema changes", async () => {
    const db = new Kysely<{ t: { id: Generated<number>; name: string; note: string | null } }>({ dialect: new SqliteDialect({ database: cachingStatements(open()) }) });
    await db
      .insertInto('t')
      .values([{ name: 'his' }, { name: 'lis' }])
      .execute();
    await db
      .insertInto('t')
      .values([{ name: 'pacs' }, { name: 'emr' }])
      .execute(); // same SQL, cached statement
    expect((await db.selectFrom('t').selectAll().orderBy('id').execute()).map((r) => r.name)).toEqual(['his', 'lis', 'pacs', 'emr']);
    await sql`alter table t add column note text`.execute(db);
    await db.updateTable('t').set({ note: 'x' }).where('name', '=', 'his').execute();
    expect(await db.selectFrom('t').selectAll().where('name', '=', 'his').execute()).toEqual([{ id: 1, name: 'his', note: 'x' }]);
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });
});
