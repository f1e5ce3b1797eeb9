CREATE SEQUENCE "public"."cases_receipt_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "cases_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"receipt_no" text,
	"service_code" text NOT NULL,
	"item_version" integer NOT NULL,
	"department_code" text NOT NULL,
	"applicant_id" uuid NOT NULL,
	"acting_for_enterprise_id" uuid,
	"acting_for_uscc" text,
	"acting_for_name" text,
	"idempotency_key" text,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"data" jsonb NOT NULL,
	"delivery" jsonb,
	"phone_last4" text,
	"fee_fen" integer DEFAULT 0 NOT NULL,
	"payment_id" uuid,
	"paid_at" timestamp with time zone,
	"assigned_to" uuid,
	"assigned_name" text,
	"correction" jsonb,
	"submitted_at" timestamp with time zone,
	"promised_by" timestamp with time zone,
	"legal_by" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"sla_generation" integer DEFAULT 0 NOT NULL,
	"sla_warned_at" timestamp with time zone,
	"sla_escalated_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"rating" integer,
	"rating_comment" text,
	"rated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases_calendar_days" (
	"date" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"rating" integer NOT NULL,
	"comment" text,
	"status" text DEFAULT 'open' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cases_internal_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"author_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases_materials" (
	"application_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"material" text NOT NULL,
	"field" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases_timeline" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"action" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"actor_display" text NOT NULL,
	"note" text,
	"detail" jsonb,
	"dedupe_key" text
);
--> statement-breakpoint
ALTER TABLE "cases_follow_ups" ADD CONSTRAINT "cases_follow_ups_application_id_cases_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cases_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases_internal_notes" ADD CONSTRAINT "cases_internal_notes_application_id_cases_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cases_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases_materials" ADD CONSTRAINT "cases_materials_application_id_cases_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cases_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases_timeline" ADD CONSTRAINT "cases_timeline_application_id_cases_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."cases_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_applications_receipt_key" ON "cases_applications" USING btree ("receipt_no");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_applications_idempotency_key" ON "cases_applications" USING btree ("applicant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "cases_applications_applicant_idx" ON "cases_applications" USING btree ("applicant_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_applications_enterprise_idx" ON "cases_applications" USING btree ("acting_for_enterprise_id");--> statement-breakpoint
CREATE INDEX "cases_applications_queue_idx" ON "cases_applications" USING btree ("department_code","status","promised_by");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_follow_ups_application_key" ON "cases_follow_ups" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "cases_follow_ups_department_idx" ON "cases_follow_ups" USING btree ("department_code","status");--> statement-breakpoint
CREATE INDEX "cases_internal_notes_application_idx" ON "cases_internal_notes" USING btree ("application_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_materials_key" ON "cases_materials" USING btree ("application_id","file_id");--> statement-breakpoint
CREATE INDEX "cases_timeline_application_idx" ON "cases_timeline" USING btree ("application_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_timeline_dedupe_key" ON "cases_timeline" USING btree ("application_id","dedupe_key");