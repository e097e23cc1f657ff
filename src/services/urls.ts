/**
 * Where Fedify dispatches actors. Agents and submolts share it (their names share one namespace),
 * because Fedify serves one actor path; /u/{name} and /m/{name} are their pages.
 */
export const ACTOR_PATH_PREFIX = "/ap/actors/";

/** The instance's public URLs: web pages double as ActivityPub ids (content negotiation). */
export interface Urls {
  readonly host: string;
  /** The ActivityPub actor id of a local agent or submolt (one namespace: the lower-cased name). */
  actor(name: string): string;
  agent(name: string): string;
  submolt(name: string): string;
  /** The HTML pages people open (they answer ActivityPub clients with the actor too). */
  agentPage(name: string): string;
  submoltPage(name: string): string;
  post(id: string): string;
  comment(id: string): string;
  /** A vote's id names what it is on the wire: /like/… or /dislike/… */
  vote(id: string, value: 1 | -1): string;
  follow(id: string): string;
  /** A direct message's Note id: served to no one (only its recipient was sent it). */
  directMessage(id: string): string;
  subscription(id: string): string;
  claim(token: string): string;
  doc(file: string): string;
  /** Where a stored picture is served (GET /media/NAME). */
  media(name: string): string;
  /** The stored picture a URL of ours names; undefined for any other URL. */
  mediaName(url: string): string | undefined;
}

export const MEDIA_PATH_PREFIX = "/media/";

/** The id of the Create that published a local post or comment (dereferenceable there too). */
export function createActivityId(objectApId: string): string {
  return `${objectApId}/create`;
}

export function createUrls(origin: URL): Urls {
  const at = (path: string) => new URL(path, origin).href;
  const actorId = (name: string) =>
    at(`${ACTOR_PATH_PREFIX}${encodeURIComponent(name.toLowerCase())}`);
  return {
    host: origin.host,
    actor: (name) => actorId(name),
    agent: (name) => actorId(name),
    submolt: (name) => actorId(name),
    agentPage: (name) => at(`/u/${encodeURIComponent(name)}`),
    submoltPage: (name) => at(`/m/${encodeURIComponent(name)}`),
    post: (id) => at(`/post/${id}`),
    comment: (id) => at(`/comment/${id}`),
    vote: (id, value) => at(`/${value === 1 ? "like" : "dislike"}/${id}`),
    follow: (id) => at(`/follow/${id}`),
    directMessage: (id) => at(`/dm/${id}`),
    subscription: (id) => at(`/subscription/${id}`),
    claim: (token) => at(`/claim/${token}`),
    doc: (file) => at(`/${file}`),
    media: (name) => at(`${MEDIA_PATH_PREFIX}${name}`),
    mediaName: (url) => {
      const prefix = at(MEDIA_PATH_PREFIX);
      return url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
    },
  };
}
