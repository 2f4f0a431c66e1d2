import Foundation
import TenantryTestSupport
import Testing

/// Tenant folders written the way real projects write them (our own SQL): each a first file and a later one, so
/// one path can provision with the first and deploy the second.
enum SchemaLayoutFixture: String, CaseIterable, CustomStringConvertible, Sendable {
    /// drizzle-kit style: every name qualified with "public", foreign keys added in a DO block, enums.
    case drizzle
    /// Prisma style: CREATE EXTENSION IF NOT EXISTS in the file, citext columns, a qualified function.
    case prisma
    /// An extension's type (citext standing in for vector) in a column, an index and a function signature.
    case extensionType
    /// Files that start with SET TRANSACTION ISOLATION LEVEL.
    case setTransaction
    /// The Prisma files in a Prisma folder (`<timestamp>_<name>/migration.sql`, `migration_lock.toml`), the two
    /// folders sharing one timestamp, the second file in its own BEGIN … COMMIT.
    case prismaFolder

    var description: String { rawValue }

    var files: (first: String, second: String) {
        switch self {
        case .drizzle:
            return ("""
                CREATE TABLE IF NOT EXISTS "public"."users" ("id" serial PRIMARY KEY NOT NULL, "email" text NOT NULL, "created_at" timestamp DEFAULT now());
                --> statement-breakpoint
                CREATE TABLE IF NOT EXISTS "public"."posts" ("id" serial PRIMARY KEY NOT NULL, "user_id" integer NOT NULL, "title" text);
                --> statement-breakpoint
                DO $$ BEGIN
                 ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
                EXCEPTION
                 WHEN duplicate_object THEN null;
                END $$;
                --> statement-breakpoint
                CREATE UNIQUE INDEX IF NOT EXISTS "users_email_idx" ON "public"."users" USING btree ("email");
                """, """
                CREATE TYPE "public"."post_status" AS ENUM('draft', 'live');
                --> statement-breakpoint
                ALTER TABLE "public"."posts" ADD COLUMN "status" "public"."post_status" DEFAULT 'draft' NOT NULL;
                --> statement-breakpoint
                CREATE VIEW "public"."live_posts" AS SELECT "id", "title" FROM "public"."posts" WHERE "status" = 'live';
                """)
        case .prismaFolder:
            // As Prisma files often are: the second wrapped in its own BEGIN … COMMIT.
            let files = SchemaLayoutFixture.prisma.files
            return (files.first, "BEGIN;\n\(files.second)\nCOMMIT;\n")
        case .prisma:
            return ("""
                CREATE EXTENSION IF NOT EXISTS "pgcrypto";
                CREATE EXTENSION IF NOT EXISTS "citext";
                CREATE TABLE "public"."Account" (
                    "id" UUID NOT NULL DEFAULT public.gen_random_uuid(),
                    "email" CITEXT NOT NULL,
                    "note" TEXT DEFAULT 'kept as written: public.Account',
                    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
                );
                CREATE UNIQUE INDEX "Account_email_key" ON "public"."Account"("email");
                CREATE FUNCTION public.account_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM public."Account" $$;
                """, """
                ALTER TABLE "public"."Account" ADD COLUMN "nickname" CITEXT;
                CREATE INDEX "Account_nickname_idx" ON "public"."Account"("nickname");
                """)
        case .extensionType:
            return ("""
                CREATE EXTENSION IF NOT EXISTS citext;
                CREATE TABLE documents (id bigint PRIMARY KEY, label citext NOT NULL);
                CREATE INDEX documents_label_idx ON documents (label);
                CREATE FUNCTION same_label(a citext, b citext) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT a = b $$;
                """, """
                ALTER TABLE documents ADD COLUMN tag citext;
                CREATE INDEX documents_tag_idx ON documents (tag) WHERE tag IS NOT NULL;
                """)
        case .setTransaction:
            return ("""
                SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
                CREATE TABLE ledger (id int PRIMARY KEY, amount numeric NOT NULL);
                """, """
                SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
                ALTER TABLE ledger ADD COLUMN note text;
                """)
        }
    }

    /// The folder's files with its first `count` migrations, by path in the folder: a drizzle-kit folder (its
    /// `meta/_journal.json` and `0000_…` files) for `drizzle`, `001_…` files in native format for the others.
    func folder(_ count: Int) -> [(path: String, contents: String)] {
        let sql = Array([files.first, files.second].prefix(count))
        if self == .prismaFolder {
            let names = ["20240101120000_init", "20240101120000_nicknames"].prefix(count)
            return zip(names, sql).map { ("\($0)/migration.sql", $1) } + [("migration_lock.toml", "provider = \"postgresql\"\n")]
        }
        guard self == .drizzle else {
            return sql.enumerated().map { index, up in ("00\(index + 1)_\(rawValue).sql", nativeMigration(up: up)) }
        }
        let tags = ["0000_first_tables", "0001_status"].prefix(count)
        let entries = tags.enumerated().map { index, tag in
            #"{"idx": \#(index), "version": "7", "when": 170000000000\#(index), "tag": "\#(tag)", "breakpoints": true}"#
        }
        let journal = #"{"version": "7", "dialect": "postgresql", "entries": [\#(entries.joined(separator: ", "))]}"#
        return zip(tags, sql).map { ("\($0).sql", $1) } + [("meta/_journal.json", journal)]
    }
}

/// `pg_dump --schema-only` of one schema, made comparable: the schema's own name written `public`, and what differs
/// by place alone (settings, comments, the schema and extensions themselves, the history table) left out.
enum SchemaDump {
    static func of(_ url: String, schema: String) throws -> String {
        guard let pgDump = ExternalProgram.locate("pg_dump") else { throw Psql.Failure(description: "pg_dump is not installed") }
        let output = try ExternalProgram.run(pgDump, ["--schema-only", "--no-owner", "--no-privileges", "-n", schema,
                                                         "-T", "\(schema).tenantry_migrations", "-d", url])
        guard output.status == 0 else { throw Psql.Failure(description: "pg_dump failed: \(output.stderr)") }
        let qualified = try NSRegularExpression(pattern: "\"?\(NSRegularExpression.escapedPattern(for: schema))\"?\\.")
        let skipped = ["--", "SET ", "SELECT pg_catalog.set_config", "CREATE SCHEMA", "COMMENT ON SCHEMA", "ALTER SCHEMA",
                       "CREATE EXTENSION", "COMMENT ON EXTENSION", "\\"]
        return output.stdout.split(separator: "\n", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { line in !skipped.contains { line.hasPrefix($0) } }
            .map { line in qualified.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "public.") }
            .joined(separator: "\n")
    }

    /// The files applied by psql to a new database, each in one transaction: what the dumps must equal.
    static func reference(_ fixture: SchemaLayoutFixture) throws -> String {
        let name = TestDatabase.uniqueName("ref")
        let base = try TestDatabase.requireURL()
        try Psql.query(base, "CREATE DATABASE \"\(name)\"")
        defer { TestServer.drop(name) }
        let url = try TestServer.url(database: name)
        let directory = try TemporaryDirectory("tenantry-reference")
        defer { directory.remove() }
        for (index, contents) in [fixture.files.first, fixture.files.second].enumerated() {
            let file = "\(index + 1).sql"
            let path = try directory.write(file, contents)
            let output = try ExternalProgram.run(try Psql.path, ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", path])
            guard output.status == 0 else { throw Psql.Failure(description: "psql -f \(file) failed: \(output.stderr)") }
        }
        return try of(url, schema: "public")
    }
}
