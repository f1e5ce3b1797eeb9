CREATE TABLE "exchange_exit_entry_permit" (
	"id_number" text PRIMARY KEY NOT NULL,
	"permit_number" text NOT NULL,
	"valid_until" date NOT NULL,
	"exit_restricted" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exchange_access_log" ADD COLUMN "subject_child_id_number" text;