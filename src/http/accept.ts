/** Whether a request's Accept header asks for an ActivityPub document rather than a page. */
export function wantsActivityPub(accept: string | undefined): boolean {
  return /application\/(activity\+json|ld\+json)/i.test(accept ?? "");
}
