import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signals')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('source', 'varchar(100)', (c) => c.notNull())
    .addColumn('system', 'varchar(100)')
    .addColumn('component', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('severity', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('dedup_key', 'varchar(300)', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('host', 'varchar(300)')
    .addColumn('metric_name', 'varchar(200)')
    .addColumn('metric_value', 'double precision')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('outcome', 'varchar(20)')
    .execute();
  await db.schema.createIndex('signals_pending').on('signals').columns(['processed', 'id']).execute();
  await db.schema.createIndex('signals_incident').on('signals').column('incident_id').execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('source', 'varchar(100)', (c) => c.notNull())
    .addColumn('dedup_key', 'varchar(300)', (c) => c.notNull())
    .addColumn('system', 'varchar(100)')
    .addColumn('component', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('severity', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('incident_id', 'varchar(40)')
    .execute();
  await db.schema.createIndex('alerts_identity').unique().on('alerts').columns(['source', 'dedup_key']).execute();
  await db.schema.createIndex('alerts_incident').on('alerts').column('incident_id').execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('level', 'varchar(4)', (c) => c.notNull())
    .addColumn('provisional', 'integer', (c) => c.notNull())
    .addColumn('decided_by', 'varchar(50)', (c) => c.notNull())
    .addColumn('next_grade_at', 'bigint')
    .addColumn('next_grade_level', 'varchar(4)')
    .addColumn('next_grade_rule', 'varchar(50)')
    .addColumn('scope', 'varchar(20)', (c) => c.notNull())
    .addColumn('scope_since', 'bigint', (c) => c.notNull())
    .addColumn('scenario', 'varchar(30)')
    .addColumn('scenario_since', 'bigint')
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('tallies', 'text', (c) => c.notNull())
    .addColumn('levels_reached', 'text', (c) => c.notNull())
    .addColumn('floors', 'text', (c) => c.notNull())
    .addColumn('manual', 'text')
    .addColumn('anchors', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'bigint', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('recovered_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('plan_version', 'varchar(50)', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incidents_state').on('incidents').column('state').execute();
  await db.schema.createIndex('incidents_next_grade').on('incidents').column('next_grade_at').execute();

  await db.schema
    .createTable('incident_systems')
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('system', 'varchar(100)', (c) => c.notNull())
    .addColumn('component', 'varchar(200)', (c) => c.notNull())
    .addColumn('state', 'varchar(10)', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_systems_pk', ['incident_id', 'system', 'component'])
    .execute();

  await db.schema
    .createTable('level_changes')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('level', 'varchar(4)', (c) => c.notNull())
    .addColumn('provisional', 'integer', (c) => c.notNull())
    .addColumn('rule', 'varchar(50)', (c) => c.notNull())
    .addColumn('actor', 'varchar(200)')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('level_changes_incident').on('level_changes').columns(['incident_id', 'at']).execute();

  await db.schema
    .createTable('obligations')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('rule_id', 'varchar(50)', (c) => c.notNull())
    .addColumn('actor_role', 'varchar(100)', (c) => c.notNull())
    .addColumn('trigger_at', 'bigint', (c) => c.notNull())
    .addColumn('anchor_at', 'bigint')
    .addColumn('due_at', 'bigint')
    .addColumn('state', 'varchar(12)', (c) => c.notNull())
    .addColumn('met_at', 'bigint')
    .addColumn('met_by', 'varchar(200)')
    .addColumn('breached_at', 'bigint')
    .addColumn('fired_at', 'bigint')
    .addColumn('late_ms', 'bigint')
    .addColumn('waived_by', 'varchar(200)')
    .addColumn('reason', 'text')
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('obligations_due').on('obligations').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('obligations_incident').on('obligations').column('incident_id').execute();

  await db.schema
    .createTable('timeline')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(50)', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('timeline_incident').on('timeline').columns(['incident_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['timeline', 'obligations', 'level_changes', 'incident_systems', 'incidents', 'alerts', 'signals']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
