CREATE TABLE `sign_in_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`last_failure_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_failures_last_failure_idx` ON `sign_in_failures` (`last_failure_at`);--> statement-breakpoint
DROP TABLE `sign_in_throttle`;