CREATE TABLE `email_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`person_id` text NOT NULL,
	`email` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `email_tokens_person_idx` ON `email_tokens` (`person_id`,`purpose`);--> statement-breakpoint
CREATE INDEX `email_tokens_expires_idx` ON `email_tokens` (`expires_at`);--> statement-breakpoint
ALTER TABLE `invitations` ADD `mailed_at` integer;--> statement-breakpoint
ALTER TABLE `people` ADD `email_verified_at` integer;--> statement-breakpoint
-- Everyone who signed in before verification existed keeps every right they had: their address is taken as verified.
UPDATE `people` SET `email_verified_at` = `created_at`;
