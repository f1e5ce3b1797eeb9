ALTER TABLE "platform_audit_log" ADD COLUMN "chain" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "platform_audit_log_chain_idx" ON "platform_audit_log" USING btree ("chain","seq");--> statement-breakpoint
CREATE INDEX "cases_applications_sla_warn_idx" ON "cases_applications" USING btree ("warn_at") WHERE sla_warned_at IS NULL AND paused_at IS NULL;--> statement-breakpoint
CREATE INDEX "cases_applications_sla_breach_idx" ON "cases_applications" USING btree ("promised_by") WHERE sla_escalated_at IS NULL AND paused_at IS NULL;