import { byType } from '@lockstep/flow';
import { inboundAttachmentImplementations, type InboundAttachmentParts } from './inbound-attachment-actions.js';
import { getAttachmentMetadataImplementation, type GetAttachmentMetadataParts } from './outbound-attachment-actions.js';

/** The attachment nodes, both sides', keyed by node type for the flow engine's registry. */
export function attachmentImplementations(parts: GetAttachmentMetadataParts & InboundAttachmentParts) {
  return byType(getAttachmentMetadataImplementation(parts), ...inboundAttachmentImplementations(parts));
}

export type AttachmentImplementations = ReturnType<typeof attachmentImplementations>;
