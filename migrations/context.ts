/** What a migration may know about where it runs. Migrations import nothing from src/. */
export interface MigrationContext {
  readonly dialect: "sqlite" | "postgres";
}

export interface MigrationModule {
  up(db: import("kysely").Kysely<unknown>, ctx: MigrationContext): Promise<void>;
  down(db: import("kysely").Kysely<unknown>, ctx: MigrationContext): Promise<void>;
}
