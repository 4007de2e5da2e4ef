/** A step's box on the canvas before React Flow has measured it; the stylesheet's `.step` width is the same. */
export const STEP_WIDTH = 220;
export const STEP_HEIGHT = 72;
