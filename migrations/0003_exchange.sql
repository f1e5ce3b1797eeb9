CREATE TABLE "exchange_access_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"product" text NOT NULL,
	"holder_department" text,
	"requester_department" text,
	"actor_user_id" uuid,
	"actor_kind" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_user_id" uuid,
	"subject_enterprise_id" uuid,
	"purpose_service_code" text NOT NULL,
	"purpose_application_id" text,
	"fields" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_amr_register" (
	"uscc" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"legal_representative" text NOT NULL,
	"address" text NOT NULL,
	"registered_capital_yuan" bigint NOT NULL,
	"type" text NOT NULL,
	"established_on" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_psb_guardianship" (
	"guardian_id_number" text NOT NULL,
	"child_id_number" text NOT NULL,
	"relation" text NOT NULL,
	CONSTRAINT "exchange_psb_guardianship_guardian_id_number_child_id_number_pk" PRIMARY KEY("guardian_id_number","child_id_number")
);
--> statement-breakpoint
CREATE TABLE "exchange_psb_household" (
	"id_number" text PRIMARY KEY NOT NULL,
	"real_name" text NOT NULL,
	"household_number" text NOT NULL,
	"district" text NOT NULL,
	"address_detail" text NOT NULL,
	"household_head" text NOT NULL,
	"relation_to_head" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "exchange_access_log_user_idx" ON "exchange_access_log" USING btree ("subject_user_id","at");--> statement-breakpoint
CREATE INDEX "exchange_access_log_enterprise_idx" ON "exchange_access_log" USING btree ("subject_enterprise_id","at");