-- Announces each committed change of an application (its row, timeline or materials) on the channel
-- cases_changed with the application's id, so every instance can drop what it cached of it (cases.cache.ts).
-- A timeline entry or material written in the transaction that inserted or already changed the application
-- is not announced again: the application was new (nobody can have cached it) or its own change announced it.
-- That keeps submissions out of NOTIFY, whose commits queue behind one lock.
CREATE FUNCTION cases_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  app uuid;
BEGIN
  IF TG_TABLE_NAME = 'cases_applications' THEN
    app := OLD.id;
  ELSE
    app := CASE WHEN TG_OP = 'DELETE' THEN OLD.application_id ELSE NEW.application_id END;
    IF EXISTS (SELECT 1 FROM cases_applications a WHERE a.id = app AND a.xmin = pg_current_xact_id()::xid) THEN
      RETURN NULL;
    END IF;
  END IF;
  PERFORM pg_notify('cases_changed', app::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cases_applications_announce AFTER UPDATE OR DELETE ON cases_applications
  FOR EACH ROW EXECUTE FUNCTION cases_announce_change();
--> statement-breakpoint
CREATE TRIGGER cases_timeline_announce AFTER INSERT OR UPDATE OR DELETE ON cases_timeline
  FOR EACH ROW EXECUTE FUNCTION cases_announce_change();
--> statement-breakpoint
CREATE TRIGGER cases_materials_announce AFTER INSERT OR UPDATE OR DELETE ON cases_materials
  FOR EACH ROW EXECUTE FUNCTION cases_announce_change();
