/** A lab failure the operator can act on: the message is one line and says where to look. */
export class LabError extends Error {
  override name = 'LabError';
}
