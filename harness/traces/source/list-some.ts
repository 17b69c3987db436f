/** The first names of a long list, and how many more there are: keeps a 60-column header out of a one-line message. */
export function listSome(names: readonly string[], most = 12): string {
  return names.length <= most ? names.join(', ') : `${names.slice(0, most).join(', ')}, … (${names.length - most} more)`;
}
