/** A node for a subflow drawn in a test; position and label do not matter to the engine. */
export const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, label: id, position: { x: 0, y: 0 }, params });

/** An edge leaving `source` by `sourceHandle` (its port). */
export const edge = (source: string, target: string, sourceHandle = 'next') => ({ id: `${source}-${sourceHandle}-${target}`, source, sourceHandle, target });
