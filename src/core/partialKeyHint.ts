/**
 * The Admin API shows keys only as a hint such as `sk-ant-api03-R2D...igAA`. A key matches when it
 * starts with the part before `...` and ends with the part after it.
 */
export function matchesPartialKeyHint(key: string, hint: string | null | undefined): boolean {
  if (!hint) {
    return false;
  }
  const parts = hint.split('...');
  if (parts.length !== 2) {
    return false;
  }
  const [head, tail] = parts;
  return head.length > 0 && tail.length > 0 && key.length > head.length + tail.length && key.startsWith(head) && key.endsWith(tail);
}
