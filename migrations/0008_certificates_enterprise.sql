CREATE SEQUENCE "public"."enterprise_org_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "certificates_credentials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject_uscc" text NOT NULL,
	"subject" jsonb NOT NULL,
	"jwt" text NOT NULL,
	"kid" text NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"issued_at" timestamp with time zone NOT NULL,
	"state_changed_at" timestamp with time zone,
	"state_reason" text
);
--> statement-breakpoint
CREATE TABLE "certificates_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_jwk_sealed" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "certificates_status_entries" (
	"list_id" text NOT NULL,
	"idx" integer NOT NULL,
	"credential_id" uuid NOT NULL,
	"bit" boolean DEFAULT false NOT NULL,
	CONSTRAINT "certificates_status_entries_list_id_idx_pk" PRIMARY KEY("list_id","idx")
);
--> statement-breakpoint
CREATE TABLE "certificates_status_lists" (
	"id" text PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"capacity" integer NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"applicant_id" uuid NOT NULL,
	"company_id" uuid,
	"status" text NOT NULL,
	"data" jsonb NOT NULL,
	"decided_by" text,
	"decided_by_user_id" uuid,
	"rule" text,
	"reason" text,
	"submitted_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"licence_id" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"application_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"item" text NOT NULL,
	"before" text NOT NULL,
	"after" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_companies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uscc" text NOT NULL,
	"name" text NOT NULL,
	"name_id" uuid,
	"entity_type" text NOT NULL,
	"legal_representative" jsonb NOT NULL,
	"registered_capital_yuan" bigint NOT NULL,
	"district" text NOT NULL,
	"address_detail" text NOT NULL,
	"scope_codes" jsonb NOT NULL,
	"scope_text" text DEFAULT '' NOT NULL,
	"shareholders" jsonb NOT NULL,
	"officers" jsonb,
	"established_on" date NOT NULL,
	"registration_authority" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"licence_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_confirmations" (
	"application_id" uuid NOT NULL,
	"id_number" text NOT NULL,
	"name" text NOT NULL,
	"roles" jsonb NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" uuid,
	CONSTRAINT "enterprise_confirmations_application_id_id_number_pk" PRIMARY KEY("application_id","id_number")
);
--> statement-breakpoint
CREATE TABLE "enterprise_forbidden_words" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"word" text NOT NULL,
	"reason_zh" text NOT NULL,
	"reason_en" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_names" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"full_name" text NOT NULL,
	"division" text NOT NULL,
	"trade_name" text NOT NULL,
	"industry" text NOT NULL,
	"org_form" text NOT NULL,
	"status" text NOT NULL,
	"declared_by" uuid,
	"reserved_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_scope_items" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"needs_permit" boolean NOT NULL,
	"permit_zh" text,
	"permit_en" text,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enterprise_changes" ADD CONSTRAINT "enterprise_changes_company_id_enterprise_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."enterprise_companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_confirmations" ADD CONSTRAINT "enterprise_confirmations_application_id_enterprise_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."enterprise_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificates_credentials_uscc" ON "certificates_credentials" USING btree ("subject_uscc","issued_at");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_signing_keys_one_active" ON "certificates_signing_keys" USING btree ("status") WHERE "certificates_signing_keys"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_status_entries_credential" ON "certificates_status_entries" USING btree ("credential_id","list_id");--> statement-breakpoint
CREATE INDEX "enterprise_applications_status_idx" ON "enterprise_applications" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE INDEX "enterprise_applications_applicant_idx" ON "enterprise_applications" USING btree ("applicant_id");--> statement-breakpoint
CREATE INDEX "enterprise_changes_company_idx" ON "enterprise_changes" USING btree ("company_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "enterprise_companies_uscc_key" ON "enterprise_companies" USING btree ("uscc");--> statement-breakpoint
CREATE UNIQUE INDEX "enterprise_companies_name_key" ON "enterprise_companies" USING btree ("name");--> statement-breakpoint
CREATE INDEX "enterprise_confirmations_id_number_idx" ON "enterprise_confirmations" USING btree ("id_number");--> statement-breakpoint
CREATE UNIQUE INDEX "enterprise_forbidden_words_word_key" ON "enterprise_forbidden_words" USING btree ("word");--> statement-breakpoint
CREATE INDEX "enterprise_names_division_industry_idx" ON "enterprise_names" USING btree ("division","industry");--> statement-breakpoint
CREATE INDEX "enterprise_names_full_idx" ON "enterprise_names" USING btree ("full_name");