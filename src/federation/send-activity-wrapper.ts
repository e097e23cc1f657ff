import type { Context } from "@fedify/fedify";
import type { Activity, Recipient } from "@fedify/vocab";

export type Sender = Parameters<Context<void>["sendActivity"]>[0];
export type SendOptions = Parameters<Context<void>["sendActivity"]>[3];
export type Recipients = Recipient | Recipient[] | "followers";

/** sendActivity as the publishers call it (both of Fedify's overloads in one signature). */
export type SendActivity = (
  sender: Sender,
  recipients: Recipients,
  activity: Activity,
  options?: SendOptions,
) => Promise<void>;

/**
 * `ctx` whose sendActivity is `wrap(inner)`, where `inner` is the sendActivity of `ctx`; every
 * other member is that of `ctx`.
 */
export function wrapSendActivity(
  ctx: Context<void>,
  wrap: (inner: SendActivity) => SendActivity,
): Context<void> {
  const inner: SendActivity = async (sender, recipients, activity, options) => {
    // biome-ignore lint/suspicious/noExplicitAny: one call for both overloads of sendActivity.
    await ctx.sendActivity(sender as any, recipients as any, activity, options as any);
  };
  const sendActivity = wrap(inner);
  return new Proxy(ctx, {
    get(target, property) {
      if (property === "sendActivity") return sendActivity;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
