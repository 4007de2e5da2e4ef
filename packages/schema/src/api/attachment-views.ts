import { z } from 'zod';

/** An attachment's metadata as the Attachment API answers it, in the original's shape. */
export const attachmentViewSchema = z.object({
  sys_id: z.string(),
  sys_class_name: z.string(),
  sys_created_on: z.string(),
  sys_created_by: z.string(),
  sys_updated_on: z.string(),
  sys_updated_by: z.string(),
  sys_mod_count: z.number().int(),
  sys_domain: z.string(),
  file_name: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int().min(0),
  /** The content's sha256, hex. */
  hash: z.string(),
  table_name: z.string(),
  table_sys_id: z.string(),
  /** Where the content downloads from, under the instance's configured public URL. */
  download_link: z.string(),
});
export type AttachmentView = z.infer<typeof attachmentViewSchema>;

/** A list row: only the fields `sysparm_fields` asked for, when it did. */
export const attachmentRowSchema = attachmentViewSchema.partial();

/** The receiver's answer to pushed content: what it kept, pending its completion. */
export const attachmentContentAnswerSchema = z.object({
  sha256: z.string(),
  size: z.number().int().min(0),
});
