// Attachments as the API and the portal see them. The bytes live in R2; a note lists its files
// as AttachmentRefs. Upload is one raw-body POST per file (README, "Attachments").
import { z } from "zod";

export const AttachmentId = z.string().regex(/^att_[A-Za-z0-9]{10,40}$/, "Not an attachment id.");


export const AttachmentRef = z
	.object({
		id: AttachmentId,
		name: z.string(),
		size: z.number().int().nonnegative(),
		type: z.string().meta({ description: "Sniffed from the first bytes, never taken from the uploader." }),
		url: z.string().meta({
			description:
				"Relative to /api/v1/accounts/{your account id}/: requests/{requestId}/attachments/{id}. Add ?inline=1 for an image preview (png, jpeg, gif, webp only).",
		}),
	})
	.meta({ id: "AttachmentRef" });
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const UploadedAttachment = AttachmentRef.extend({ status: z.enum(["pending", "attached"]), createdAt: z.iso.datetime() }).meta({ id: "UploadedAttachment" });
export type UploadedAttachment = z.infer<typeof UploadedAttachment>;

export const UploadQuery = z.object({
	name: z.string().min(1).max(1000).meta({ description: "The file's name; sanitized (no path, no control or bidi characters, at most 120 characters)." }),
});

export const DownloadQuery = z.object({
	inline: z.enum(["0", "1"]).optional().meta({ description: "1: an image type is served inline for a preview; other types are downloaded anyway." }),
});

/** The path of a file relative to the viewer's account API root (the same on both sides of a trust). */
export const attachmentPath = (requestId: string, id: string) => `requests/${requestId}/attachments/${id}`;
