CREATE TABLE `saved_filters` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`view` text NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_filters_person_idx` ON `saved_filters` (`person_id`,`view`,`name`);