CREATE TABLE `account` (
	`id` text PRIMARY KEY NOT NULL,
	`time_zone` text NOT NULL,
	`created_at` integer NOT NULL,
	`portal_title` text NOT NULL,
	`logo_url` text,
	`primary_color` text NOT NULL,
	`accent_color` text NOT NULL,
	`welcome_text` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`team_id`, `person_id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `team_members_person_idx` ON `team_members` (`person_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`description` text NOT NULL,
	`coordinator_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_key_unique` ON `teams` (`name_key`);