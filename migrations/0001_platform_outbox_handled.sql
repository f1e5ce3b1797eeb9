CREATE TABLE "platform_outbox_handled" (
	"event_id" uuid NOT NULL,
	"handler" text NOT NULL,
	"handled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_outbox_handled_event_id_handler_pk" PRIMARY KEY("event_id","handler")
);
--> statement-breakpoint
ALTER TABLE "platform_outbox_handled" ADD CONSTRAINT "platform_outbox_handled_event_id_platform_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."platform_outbox_events"("id") ON DELETE cascade ON UPDATE no action;