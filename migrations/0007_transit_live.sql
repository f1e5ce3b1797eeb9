CREATE TABLE "transit_live_positions" (
	"agency_code" text NOT NULL,
	"vehicle_id" text NOT NULL,
	"recorded_at" integer NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"bearing" double precision,
	"speed" double precision,
	"trip_id" text,
	"block_id" text,
	"route_id" text,
	"matched_trip_id" text,
	"distance_along" double precision,
	"delay_seconds" integer,
	"off_route" integer DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transit_live_positions_agency_code_vehicle_id_recorded_at_pk" PRIMARY KEY("agency_code","vehicle_id","recorded_at")
);
--> statement-breakpoint
CREATE INDEX "transit_live_positions_time_idx" ON "transit_live_positions" USING btree ("recorded_at");