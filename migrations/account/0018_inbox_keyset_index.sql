DROP INDEX `inbox_team_idx`;--> statement-breakpoint
DROP INDEX `inbox_member_idx`;--> statement-breakpoint
CREATE INDEX `inbox_team_idx` ON `inbox` (`open`,`team_id`,`next_target_at`,`created_at`,`request_id`);--> statement-breakpoint
CREATE INDEX `inbox_member_idx` ON `inbox` (`open`,`member_id`,`next_target_at`,`created_at`,`request_id`);