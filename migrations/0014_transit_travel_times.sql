CREATE TABLE "transit_live_travel_times" (
	"agency_code" text NOT NULL,
	"shape_id" text NOT NULL,
	"bin" integer NOT NULL,
	"by_hour" jsonb NOT NULL,
	"ratio" double precision NOT NULL,
	"ratio_n" integer NOT NULL,
	"last_trip_id" text,
	"last_base" double precision NOT NULL,
	"last_ratio" double precision NOT NULL,
	"learned_at" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transit_live_travel_times_agency_code_shape_id_bin_pk" PRIMARY KEY("agency_code","shape_id","bin")
);
