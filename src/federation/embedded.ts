import type { Activity, Object as APObject } from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/vocab-runtime";

const refuseToFetch: DocumentLoader = (url) => Promise.reject(new Error(`Not fetched: ${url}`));

/**
 * The object `activity` carries inline, as written, without fetching anything; null when it
 * names its object by URL only (or carries one that does not parse). Nothing in it is vouched
 * for: its origin has not spoken.
 */
export async function embeddedObject(
  activity: Activity,
  contextLoader: DocumentLoader,
): Promise<APObject | null> {
  try {
    return await activity.getObject({
      crossOrigin: "trust",
      documentLoader: refuseToFetch,
      contextLoader,
    });
  } catch {
    return null;
  }
}
