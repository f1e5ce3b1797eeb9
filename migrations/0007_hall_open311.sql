CREATE TABLE "hall_open311_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"contact_email" text,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "hall_open311_clients_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "hall_open311_requests" (
	"token" text PRIMARY KEY NOT NULL,
	"post_id" uuid NOT NULL,
	"post_number" text NOT NULL,
	"client_id" uuid NOT NULL,
	"service_code" text NOT NULL,
	"attributes" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hall_open311_requests" ADD CONSTRAINT "hall_open311_requests_client_id_hall_open311_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."hall_open311_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "hall_open311_requests_post_idx" ON "hall_open311_requests" USING btree ("post_id");