CREATE TABLE "transit_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_code" text NOT NULL,
	"kind" text NOT NULL,
	"route_id" text,
	"stop_id" text,
	"trip_id" text,
	"header_zh" text NOT NULL,
	"header_en" text NOT NULL,
	"description_zh" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transit_arrival_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"stop_id" text NOT NULL,
	"route_id" text,
	"minutes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"notified_trip_id" text,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transit_calendar_dates" (
	"feed_id" uuid NOT NULL,
	"service_id" text NOT NULL,
	"date" text NOT NULL,
	"exception_type" integer NOT NULL,
	CONSTRAINT "transit_calendar_dates_feed_id_service_id_date_pk" PRIMARY KEY("feed_id","service_id","date")
);
--> statement-breakpoint
CREATE TABLE "transit_calendar" (
	"feed_id" uuid NOT NULL,
	"service_id" text NOT NULL,
	"weekdays" integer NOT NULL,
	"start_date" text NOT NULL,
	"end_date" text NOT NULL,
	CONSTRAINT "transit_calendar_feed_id_service_id_pk" PRIMARY KEY("feed_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "transit_feeds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_code" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"source_name" text NOT NULL,
	"timezone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"counts" jsonb,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"imported_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transit_frequencies" (
	"feed_id" uuid NOT NULL,
	"trip_id" text NOT NULL,
	"start_time" integer NOT NULL,
	"end_time" integer NOT NULL,
	"headway_secs" integer NOT NULL,
	"exact_times" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "transit_frequencies_feed_id_trip_id_start_time_pk" PRIMARY KEY("feed_id","trip_id","start_time")
);
--> statement-breakpoint
CREATE TABLE "transit_agencies" (
	"feed_id" uuid NOT NULL,
	"agency_id" text NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"timezone" text NOT NULL,
	"lang" text,
	"phone" text,
	CONSTRAINT "transit_agencies_feed_id_agency_id_pk" PRIMARY KEY("feed_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "transit_routes" (
	"feed_id" uuid NOT NULL,
	"route_id" text NOT NULL,
	"agency_id" text,
	"short_name" text,
	"long_name" text,
	"description" text,
	"route_type" integer NOT NULL,
	"color" text,
	"text_color" text,
	"sort_order" integer,
	CONSTRAINT "transit_routes_feed_id_route_id_pk" PRIMARY KEY("feed_id","route_id")
);
--> statement-breakpoint
CREATE TABLE "transit_shapes" (
	"feed_id" uuid NOT NULL,
	"shape_id" text NOT NULL,
	"points" jsonb NOT NULL,
	CONSTRAINT "transit_shapes_feed_id_shape_id_pk" PRIMARY KEY("feed_id","shape_id")
);
--> statement-breakpoint
CREATE TABLE "transit_stop_times" (
	"feed_id" uuid NOT NULL,
	"trip_id" text NOT NULL,
	"stop_sequence" integer NOT NULL,
	"stop_id" text NOT NULL,
	"arrival_time" integer,
	"departure_time" integer,
	"stop_headsign" text,
	"pickup_type" integer,
	"drop_off_type" integer,
	"shape_dist_traveled" double precision,
	"timepoint" integer,
	CONSTRAINT "transit_stop_times_feed_id_trip_id_stop_sequence_pk" PRIMARY KEY("feed_id","trip_id","stop_sequence")
);
--> statement-breakpoint
CREATE TABLE "transit_stops" (
	"feed_id" uuid NOT NULL,
	"stop_id" text NOT NULL,
	"code" text,
	"name" text NOT NULL,
	"description" text,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"location_type" integer DEFAULT 0 NOT NULL,
	"parent_station" text,
	"wheelchair_boarding" integer,
	CONSTRAINT "transit_stops_feed_id_stop_id_pk" PRIMARY KEY("feed_id","stop_id")
);
--> statement-breakpoint
CREATE TABLE "transit_trips" (
	"feed_id" uuid NOT NULL,
	"trip_id" text NOT NULL,
	"route_id" text NOT NULL,
	"service_id" text NOT NULL,
	"headsign" text,
	"short_name" text,
	"direction_id" integer,
	"block_id" text,
	"shape_id" text,
	CONSTRAINT "transit_trips_feed_id_trip_id_pk" PRIMARY KEY("feed_id","trip_id")
);
--> statement-breakpoint
CREATE TABLE "transit_vehicle_assignments" (
	"agency_code" text NOT NULL,
	"vehicle_id" text NOT NULL,
	"block_id" text NOT NULL,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transit_vehicle_assignments_agency_code_vehicle_id_pk" PRIMARY KEY("agency_code","vehicle_id")
);
--> statement-breakpoint
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
CREATE INDEX "transit_alerts_agency_idx" ON "transit_alerts" USING btree ("agency_code","starts_at");--> statement-breakpoint
CREATE INDEX "transit_arrival_subscriptions_open_idx" ON "transit_arrival_subscriptions" USING btree ("stop_id") WHERE "transit_arrival_subscriptions"."notified_at" is null and "transit_arrival_subscriptions"."cancelled_at" is null;--> statement-breakpoint
CREATE INDEX "transit_arrival_subscriptions_user_idx" ON "transit_arrival_subscriptions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "transit_feeds_version_key" ON "transit_feeds" USING btree ("agency_code","version");--> statement-breakpoint
CREATE UNIQUE INDEX "transit_feeds_active_key" ON "transit_feeds" USING btree ("agency_code") WHERE "transit_feeds"."active";--> statement-breakpoint
CREATE INDEX "transit_stop_times_stop_idx" ON "transit_stop_times" USING btree ("feed_id","stop_id");--> statement-breakpoint
CREATE INDEX "transit_stops_name_idx" ON "transit_stops" USING btree ("feed_id","name");--> statement-breakpoint
CREATE INDEX "transit_trips_route_idx" ON "transit_trips" USING btree ("feed_id","route_id");--> statement-breakpoint
CREATE INDEX "transit_live_positions_time_idx" ON "transit_live_positions" USING btree ("recorded_at");