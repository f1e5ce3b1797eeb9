ALTER TABLE "platform_audit_log" ADD COLUMN "chain" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "platform_audit_log_chain_idx" ON "platform_audit_log" USING btree ("chain","seq");--> statement-breakpoint
CREATE INDEX "cases_applications_sla_warn_idx" ON "cases_applications" USING btree ("warn_at") WHERE sla_warned_at IS NULL AND paused_at IS NULL;--> statement-breakpoint
CREATE INDEX "cases_applications_sla_breach_idx" ON "cases_applications" USING btree ("promised_by") WHERE sla_escalated_at IS NULL AND paused_at IS NULL;--> statement-breakpoint
-- The audit append's first step in one round trip: lock this transaction's chain, then (a VOLATILE function's
-- query takes a new snapshot, so it sees the previous holder's commit) read the chain's last hash and the next seq.
CREATE OR REPLACE FUNCTION platform_audit_head(chains int)
RETURNS TABLE (chain int, hash text, seq bigint, isolation text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  c int := (txid_current() % chains)::int;
BEGIN
  PERFORM pg_advisory_xact_lock(727101, c);
  RETURN QUERY SELECT c,
    (SELECT l.hash FROM platform_audit_log l WHERE l.chain = c ORDER BY l.seq DESC LIMIT 1),
    nextval(pg_get_serial_sequence('platform_audit_log', 'seq')),
    current_setting('transaction_isolation');
END
$$;
