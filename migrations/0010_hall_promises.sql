CREATE TABLE "hall_promises" (
	"department_code" text NOT NULL,
	"kind" text NOT NULL,
	"value" integer NOT NULL,
	"unit" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hall_promises_department_code_kind_pk" PRIMARY KEY("department_code","kind")
);
