/** The instance's public URLs: web pages double as ActivityPub ids (content negotiation). */
export interface Urls {
  readonly host: string;
  agent(name: string): string;
  submolt(name: string): string;
  post(id: string): string;
  comment(id: string): string;
  vote(id: string): string;
  follow(id: string): string;
  subscription(id: string): string;
  claim(token: string): string;
  doc(file: string): string;
}

export function createUrls(origin: URL): Urls {
  const at = (path: string) => new URL(path, origin).href;
  return {
    host: origin.host,
    agent: (name) => at(`/u/${encodeURIComponent(name)}`),
    submolt: (name) => at(`/m/${encodeURIComponent(name)}`),
    post: (id) => at(`/post/${id}`),
    comment: (id) => at(`/comment/${id}`),
    vote: (id) => at(`/vote/${id}`),
    follow: (id) => at(`/follow/${id}`),
    subscription: (id) => at(`/subscription/${id}`),
    claim: (token) => at(`/claim/${token}`),
    doc: (file) => at(`/${file}`),
  };
}
