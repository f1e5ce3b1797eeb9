-- One statement per audit record: platform_audit_append takes the transaction's chain lock (held until the
-- transaction ends), then, in a query with a snapshot taken after the lock, the chain's last hash and the next
-- seq, and inserts the record with its hash. The hash is the one hashRecord (src/platform/audit/audit.ts)
-- computes: sha256(prev_hash || '\n' || canonical JSON of the record). Its keys are sorted and "seq" is the
-- last of them, so the caller sends the canonical JSON without seq (`body`, up to its closing brace) and the
-- function completes it with ,"seq":<seq>}.
CREATE OR REPLACE FUNCTION platform_audit_append(
  chains int,
  p_at timestamptz,
  p_actor_type text,
  p_actor_id text,
  p_action text,
  p_resource_type text,
  p_resource_id text,
  p_outcome text,
  p_detail jsonb,
  p_ip text,
  body text
) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  c int;
  prev text;
  s bigint;
BEGIN
  -- Under REPEATABLE READ the transaction's snapshot predates the lock and would fork the chain.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'recordAudit needs a READ COMMITTED transaction, not %', current_setting('transaction_isolation');
  END IF;
  c := (txid_current() % chains)::int;
  PERFORM pg_advisory_xact_lock(727101, c);
  SELECT l.hash INTO prev FROM platform_audit_log l WHERE l.chain = c ORDER BY l.seq DESC LIMIT 1;
  IF prev IS NULL THEN
    prev := CASE WHEN c = 0 THEN repeat('0', 64) ELSE encode(sha256(convert_to('servicehall audit chain ' || c, 'UTF8')), 'hex') END;
  END IF;
  s := nextval(pg_get_serial_sequence('platform_audit_log', 'seq'));
  INSERT INTO platform_audit_log (seq, at, actor_type, actor_id, action, resource_type, resource_id, outcome, detail, ip, chain, prev_hash, hash)
  VALUES (s, p_at, p_actor_type, p_actor_id, p_action, p_resource_type, p_resource_id, p_outcome, p_detail, p_ip, c, prev,
    encode(sha256(convert_to(prev || E'\n' || body || ',"seq":' || s || '}', 'UTF8')), 'hex'));
  RETURN s;
END
$$;
--> statement-breakpoint
-- Its two-statement predecessor (migration 0011) has no caller left.
DROP FUNCTION IF EXISTS platform_audit_head(int);
