export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
