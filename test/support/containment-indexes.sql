-- Installed by test/support/postgresql.ts into template1 of the throwaway
-- cluster, so every database FerretDB gets has it.
--
-- FerretDB v1 (postgresql handler) keeps a collection as a table of one jsonb
-- column, _jsonb, and makes each MongoDB index a btree over expressions like
-- (_jsonb -> 'status'). But the filters it pushes down are containments,
-- (_jsonb -> 'status') @> '"ready"', which a btree cannot serve: PostgreSQL
-- answers every query, a look-up by _id included, by reading the whole table.
-- A GIN index (jsonb_path_ops) over the same expressions serves @>, so here
-- each btree FerretDB makes over _jsonb expressions gets one, named after it
-- with _gin, and loses it when dropped: PostgreSQL then reads what a MongoDB
-- server would read from the same index, and no more. Without fastupdate:
-- each row adds one key per column, cheap to put in place, where a pending
-- list would be read whole by every query until vacuum merged it.

CREATE FUNCTION lockstep_containment_index() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  made record;
  keys text;
BEGIN
  FOR made IN
    SELECT i.indexrelid, i.indrelid, i.indnkeyatts, c.relname
    FROM pg_event_trigger_ddl_commands() AS command
    JOIN pg_index AS i ON i.indexrelid = command.objid
    JOIN pg_class AS c ON c.oid = i.indexrelid
    JOIN pg_am AS am ON am.oid = c.relam
    WHERE command.object_type = 'index' AND am.amname = 'btree'
  LOOP
    -- Only a btree whose every key is a field of the document, as FerretDB makes them.
    SELECT string_agg(key || ' jsonb_path_ops', ', ' ORDER BY n) INTO keys
    FROM generate_series(1, made.indnkeyatts) AS n, pg_get_indexdef(made.indexrelid, n, false) AS key
    HAVING bool_and(key LIKE '((\_jsonb -> %))');
    IF keys IS NOT NULL THEN
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s) WITH (fastupdate = off)', left(made.relname, 59) || '_gin', made.indrelid::regclass, keys);
    END IF;
  END LOOP;
END $$;

CREATE FUNCTION lockstep_drop_containment_index() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  gone record;
BEGIN
  FOR gone IN
    SELECT schema_name, object_name FROM pg_event_trigger_dropped_objects()
    WHERE object_type = 'index' AND object_name NOT LIKE '%\_gin'
  LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I.%I', gone.schema_name, left(gone.object_name, 59) || '_gin');
  END LOOP;
END $$;

CREATE EVENT TRIGGER lockstep_containment_index ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION lockstep_containment_index();
CREATE EVENT TRIGGER lockstep_drop_containment_index ON sql_drop WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION lockstep_drop_containment_index();
