CREATE SEQUENCE "public"."hall_post_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "hall_announcements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"department_code" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hall_blocked_words" (
	"word" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hall_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"post_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"department_code" text,
	"body" text,
	"public" boolean DEFAULT true NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "hall_follows" (
	"user_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hall_follows_user_id_department_code_pk" PRIMARY KEY("user_id","department_code")
);
--> statement-breakpoint
CREATE TABLE "hall_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"public_title" text NOT NULL,
	"public_body" text NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"channel" text NOT NULL,
	"client_id" text,
	"filed_by" uuid,
	"contact" jsonb,
	"idempotency_scope" text,
	"idempotency_key" text,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"mentions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"department_code" text,
	"routing" jsonb NOT NULL,
	"status" text NOT NULL,
	"photo_file_id" uuid,
	"lat" double precision,
	"long" double precision,
	"address" text,
	"terms" text[] DEFAULT '{}'::text[] NOT NULL,
	"routed_at" timestamp with time zone,
	"first_reply_due" timestamp with time zone NOT NULL,
	"first_reply_at" timestamp with time zone,
	"answer_due" timestamp with time zone,
	"dept_first_reply_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"reopened_at" timestamp with time zone,
	"rating" text,
	"rated_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"hidden_at" timestamp with time zone,
	"hidden_reason" text,
	"faq_at" timestamp with time zone,
	"sla_generation" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hall_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"department_code" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hall_entries" ADD CONSTRAINT "hall_entries_post_id_hall_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."hall_posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hall_announcements_department_idx" ON "hall_announcements" USING btree ("department_code","created_at");--> statement-breakpoint
CREATE INDEX "hall_announcements_created_idx" ON "hall_announcements" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "hall_entries_post_idx" ON "hall_entries" USING btree ("post_id","at");--> statement-breakpoint
CREATE INDEX "hall_follows_department_idx" ON "hall_follows" USING btree ("department_code");--> statement-breakpoint
CREATE UNIQUE INDEX "hall_posts_number_key" ON "hall_posts" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "hall_posts_idempotency_key" ON "hall_posts" USING btree ("idempotency_scope","idempotency_key");--> statement-breakpoint
CREATE INDEX "hall_posts_department_idx" ON "hall_posts" USING btree ("department_code","status","created_at");--> statement-breakpoint
CREATE INDEX "hall_posts_status_idx" ON "hall_posts" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "hall_posts_author_idx" ON "hall_posts" USING btree ("author_id","created_at");--> statement-breakpoint
CREATE INDEX "hall_posts_created_idx" ON "hall_posts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "hall_posts_terms_idx" ON "hall_posts" USING gin ("terms");--> statement-breakpoint
CREATE INDEX "hall_templates_department_idx" ON "hall_templates" USING btree ("department_code");