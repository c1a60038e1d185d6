// Plain constants about attachments, without zod: the portal's request page imports them at run time.

/** Image types a browser may show inline for a preview; everything else is only ever downloaded. */
export const PREVIEW_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;

export const isPreviewType = (type: string) => (PREVIEW_TYPES as readonly string[]).includes(type);
