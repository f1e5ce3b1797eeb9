CREATE TABLE "platform_payment_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"payment_id" uuid NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied" boolean NOT NULL,
	"response" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_ref" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"description_zh" text NOT NULL,
	"description_en" text NOT NULL,
	"payer_user_id" uuid,
	"return_url" text NOT NULL,
	"provider" text NOT NULL,
	"provider_ref" text NOT NULL,
	"pay_url" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"refund_reason" text,
	"refund_requested_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"refunded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "platform_sandbox_charges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount_fen" integer NOT NULL,
	"description_zh" text NOT NULL,
	"description_en" text NOT NULL,
	"return_url" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"event_seq" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_sandbox_parcels" (
	"tracking_no" text PRIMARY KEY NOT NULL,
	"shipment_id" uuid NOT NULL,
	"recipient_name" text NOT NULL,
	"district" text NOT NULL,
	"item_description" text NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"event_seq" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_shipment_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shipment_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"status" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"location_note" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied" boolean NOT NULL,
	"response" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_shipments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_ref" text NOT NULL,
	"provider" text NOT NULL,
	"tracking_no" text NOT NULL,
	"recipient_name" text NOT NULL,
	"phone" text NOT NULL,
	"district" text NOT NULL,
	"address_detail" text NOT NULL,
	"item_description" text NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "platform_payment_events" ADD CONSTRAINT "platform_payment_events_payment_id_platform_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."platform_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_shipment_events" ADD CONSTRAINT "platform_shipment_events_shipment_id_platform_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."platform_shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "platform_payment_events_event_idx" ON "platform_payment_events" USING btree ("provider","event_id");--> statement-breakpoint
CREATE INDEX "platform_payment_events_payment_idx" ON "platform_payment_events" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "platform_payments_order_idx" ON "platform_payments" USING btree ("order_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "platform_payments_provider_ref_idx" ON "platform_payments" USING btree ("provider","provider_ref");--> statement-breakpoint
CREATE INDEX "platform_sandbox_parcels_created_idx" ON "platform_sandbox_parcels" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "platform_shipment_events_event_idx" ON "platform_shipment_events" USING btree ("provider","event_id");--> statement-breakpoint
CREATE INDEX "platform_shipment_events_shipment_idx" ON "platform_shipment_events" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "platform_shipments_order_idx" ON "platform_shipments" USING btree ("order_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "platform_shipments_tracking_idx" ON "platform_shipments" USING btree ("tracking_no");