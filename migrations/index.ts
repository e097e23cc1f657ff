import * as m20261124T120000 from "./20261124T120000_initial_schema.ts";
import * as m20261124T131000 from "./20261124T131000_actor_keys_unique.ts";
import * as m20261124T133000 from "./20261124T133000_feeds_and_search.ts";
import * as m20261124T134000 from "./20261124T134000_rate_limits.ts";
import * as m20261201T180000 from "./20261201T180000_queue_target_host.ts";
import * as m20261201T190000 from "./20261201T190000_signature_replays.ts";
import * as m20261201T200000 from "./20261201T200000_wake_workers.ts";
import * as m20261201T201000 from "./20261201T201000_posts_author_hot_rank.ts";
import * as m20261201T202000 from "./20261201T202000_blocks_and_suspension.ts";
import * as m20261201T210000 from "./20261201T210000_queue_claim_order.ts";
import * as m20261201T230000 from "./20261201T230000_queue_in_flight.ts";
import * as m20261205T141500 from "./20261205T141500_signing_key_lineage.ts";
import * as m20261205T200000b from "./20261205T200000_b_remote_html.ts";
import * as m20261205T200000e from "./20261205T200000_e_published_activities.ts";
import * as m20261205T210000 from "./20261205T210000_d_timeline_boosts_mentions.ts";
import * as m20261205T220000 from "./20261205T220000_l_live_content_notify.ts";
import * as m20261205T230000v from "./20261205T230000_v_verification_challenges.ts";
import * as m20261205T231000n from "./20261205T231000_n_notifications.ts";
import * as m20261206T010000d from "./20261206T010000_d_direct_messages.ts";
import * as m20261206T030000h from "./20261206T030000_h_content_hazards.ts";
import * as m20261206T040000s from "./20261206T040000_s_agent_signed_content.ts";
import * as m20261206T060000w from "./20261206T060000_w_reads_changed_notify.ts";
import * as m20261206T070000t from "./20261206T070000_t_timed_suspensions.ts";
import * as m20261206T080000m from "./20261206T080000_m_signed_direct_messages.ts";
import * as m20261206T090000u from "./20261206T090000_u_unscanned_content.ts";
import type { MigrationModule } from "./context.ts";

/** Every migration, keyed by file name without `.ts`, in order. A test checks it against the folder. */
export const MIGRATIONS: Readonly<Record<string, MigrationModule>> = {
  "20261124T120000_initial_schema": m20261124T120000,
  "20261124T131000_actor_keys_unique": m20261124T131000,
  "20261124T133000_feeds_and_search": m20261124T133000,
  "20261124T134000_rate_limits": m20261124T134000,
  "20261201T180000_queue_target_host": m20261201T180000,
  "20261201T190000_signature_replays": m20261201T190000,
  "20261201T200000_wake_workers": m20261201T200000,
  "20261201T201000_posts_author_hot_rank": m20261201T201000,
  "20261201T202000_blocks_and_suspension": m20261201T202000,
  "20261201T210000_queue_claim_order": m20261201T210000,
  "20261201T230000_queue_in_flight": m20261201T230000,
  "20261205T141500_signing_key_lineage": m20261205T141500,
  "20261205T200000_b_remote_html": m20261205T200000b,
  "20261205T200000_e_published_activities": m20261205T200000e,
  "20261205T210000_d_timeline_boosts_mentions": m20261205T210000,
  "20261205T220000_l_live_content_notify": m20261205T220000,
  "20261205T230000_v_verification_challenges": m20261205T230000v,
  "20261205T231000_n_notifications": m20261205T231000n,
  "20261206T010000_d_direct_messages": m20261206T010000d,
  "20261206T030000_h_content_hazards": m20261206T030000h,
  "20261206T040000_s_agent_signed_content": m20261206T040000s,
  "20261206T060000_w_reads_changed_notify": m20261206T060000w,
  "20261206T070000_t_timed_suspensions": m20261206T070000t,
  "20261206T080000_m_signed_direct_messages": m20261206T080000m,
  "20261206T090000_u_unscanned_content": m20261206T090000u,
};
