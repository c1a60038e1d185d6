CREATE TABLE `notification_preferences` (
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`in_app` integer NOT NULL,
	`email` integer NOT NULL,
	PRIMARY KEY(`person_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text,
	`request_id` text,
	`request_number` integer,
	`request_account_id` text,
	`trust_account_id` text,
	`link` text NOT NULL,
	`actor_name` text,
	`created_at` integer NOT NULL,
	`read_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_id_idx` ON `notifications` (`id`);--> statement-breakpoint
CREATE INDEX `notifications_person_idx` ON `notifications` (`person_id`,`seq`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`person_id`,`seq`) WHERE read_at IS NULL;