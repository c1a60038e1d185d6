CREATE TABLE `mail_unknown_senders` (
	`address` text PRIMARY KEY NOT NULL,
	`answered_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_unknown_senders_answered_idx` ON `mail_unknown_senders` (`answered_at`);--> statement-breakpoint
ALTER TABLE `account` ADD `mail_intake_provider` text;--> statement-breakpoint
ALTER TABLE `account` ADD `mail_intake_sla` text;